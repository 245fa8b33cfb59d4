/**
 * NetworkPolicies for the flow verdicts and the proposal scenario: shop's cart admits TCP 8080 only
 * from the frontend: the seeded frontend -> cart flows are allowed by that rule. Outside the stack's
 * namespaces, so the Security Review (which reads only those) is unchanged.
 */
import { JsonObject } from '../http';

export const POLICY_SEED = {
  cart: { namespace: 'shop', name: 'cart-from-frontend' },
} as const;

export function addPolicies(b: { add(type: string, object: JsonObject): JsonObject }): void {
  b.add('networking.k8s.io.networkpolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind:       'NetworkPolicy',
    metadata:   { ...POLICY_SEED.cart },
    spec:       {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cart' } },
      policyTypes: ['Ingress'],
      ingress:     [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    },
  });
}
