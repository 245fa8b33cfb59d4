/**
 * NetworkPolicy semantics the flow verdict depends on, one case per rule of the API, each with the
 * sentence of the Kubernetes documentation it follows and the answer that sentence gives.
 * Sources (cited per case):
 *   [concept] https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *             (kubernetes/website content/en/docs/concepts/services-networking/network-policies.md)
 *   [api]     NetworkPolicy API reference, k8s.io/api networking/v1 types.go (NetworkPolicySpec, NetworkPolicyPeer,
 *             NetworkPolicyPort, IPBlock) and k8s.io/apimachinery meta/v1 LabelSelector
 *   [e2e]     kubernetes/kubernetes test/e2e/network/netpol/network_policy.go (what conformance expects)
 * The verdict comes from the Security Review's model (security/netpol-model.ts) through the flow evaluator.
 */
import { FlowVerdict, SideReason, SideState } from '@pkg/domain/policy';
import {
  E, ICMP, Json, SCTP, TCP, UDP, evaluatorWith, flow, policy
} from './world';
import { Endpoint } from '@pkg/domain/flows/enrichment/endpoint';

interface Case {
  name: string;
  policies: Json[];
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: number;
  verdict: FlowVerdict['verdict'];
  egress?: SideState;
  ingress?: SideState;
  reason?: SideReason;
  /** `<policy>#<rule index>` that must be named as the matching rule. */
  match?: string;
}

const deny = (namespace: string, name: string, types: string[], podSelector: Json = {}) => policy(namespace, name, { podSelector, policyTypes: types });
const dbIn = (ingress: Json[], extra: Json = {}) => policy('prod', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress, ...extra });
const webIn = (ingress: Json[]) => policy('prod', 'web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress });
const clientOut = (egress: Json[]) => policy('prod', 'client-out', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress });

const CASES: Case[] = [
  // --- isolation and defaults -------------------------------------------------------------------
  // [concept] "By default, a pod is non-isolated for ingress; all inbound connections are allowed."
  {
    name: 'no policy: allowed by default', policies: [], from: E.client, to: E.db, port: 5432, verdict: 'allowed', egress: 'unrestricted', ingress: 'unrestricted'
  },
  // [api] podSelector: "An empty selector matches all pods in the policy's namespace." (a policy elsewhere does not apply)
  {
    name: 'a policy in another namespace does not isolate', policies: [deny('dev', 'deny', ['Ingress'])], from: E.client, to: E.db, port: 5432, verdict: 'allowed', ingress: 'unrestricted'
  },
  // [concept] "When a pod is isolated for ingress, the only allowed connections into the pod are those from the pod's node and those allowed by the ingress list"
  {
    name: 'isolated for ingress: unlisted source blocked', policies: [dbIn([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'blocked', ingress: 'blocked'
  },
  // [api] ingress: "If this field is empty then this NetworkPolicy does not allow any traffic"
  {
    name: 'empty ingress list denies all', policies: [deny('prod', 'deny', ['Ingress'])], from: E.client, to: E.db, port: 5432, verdict: 'blocked', ingress: 'blocked'
  },
  // [api] from: "If this field is empty or missing, this rule matches all sources"; ports: "If this field is empty or missing, this rule matches all ports"
  {
    name: 'an empty rule admits everything', policies: [dbIn([{}])], from: E.internet, to: E.db, port: 1234, verdict: 'allowed', ingress: 'allowed', match: 'db-in#0'
  },
  // [concept] "A pod is isolated for egress if there is any NetworkPolicy that both selects the pod and has "Egress" in its policyTypes"
  {
    name: 'isolated for egress with no rule: blocked at the source', policies: [deny('prod', 'deny-out', ['Egress'], { matchLabels: { app: 'client' } })], from: E.client, to: E.db, port: 5432, verdict: 'blocked', egress: 'blocked', ingress: 'unrestricted'
  },
  // [concept] "If no policyTypes are specified on a NetworkPolicy then by default Ingress will always be set and Egress will be set if the NetworkPolicy has any egress rules."
  {
    name: 'policyTypes default: ingress rules only leave egress open', policies: [policy('prod', 'p', { podSelector: { matchLabels: { app: 'client' } }, ingress: [{}] })], from: E.client, to: E.internet, port: 443, verdict: 'allowed', egress: 'unrestricted'
  },
  // [api] policyTypes: "all policies (whether or not they contain an ingress section) are assumed to affect ingress"
  {
    name: 'policyTypes default: egress rules also isolate ingress', policies: [policy('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, egress: [{}] })], from: E.client, to: E.db, port: 5432, verdict: 'blocked', ingress: 'blocked'
  },
  // [api] policyTypes: "If you want to write an egress-only policy, you must explicitly specify policyTypes [ "Egress" ]."
  {
    name: 'explicit Egress-only policy leaves ingress open', policies: [policy('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'], egress: [{}] })], from: E.client, to: E.db, port: 5432, verdict: 'allowed', ingress: 'unrestricted'
  },
  // [api] policyTypes: "a policy that specifies that no egress is allowed ... would not include an egress section and would otherwise default to just [ "Ingress" ]"
  {
    name: 'no rules and no policyTypes isolates ingress only', policies: [policy('prod', 'p', { podSelector: { matchLabels: { app: 'client' } } })], from: E.client, to: E.internet, port: 443, verdict: 'allowed', egress: 'unrestricted'
  },
  // [concept] "both the egress policy on the source pod and the ingress policy on the destination pod need to allow the connection"
  {
    name: 'egress allows but ingress does not: blocked', policies: [clientOut([{}]), deny('prod', 'deny', ['Ingress'], { matchLabels: { app: 'db' } })], from: E.client, to: E.db, port: 5432, verdict: 'blocked', egress: 'allowed', ingress: 'blocked'
  },
  // [concept] "If either side does not allow the connection, it will not happen."
  {
    name: 'ingress allows but egress does not: blocked', policies: [clientOut([]), dbIn([{}])], from: E.client, to: E.db, port: 5432, verdict: 'blocked', egress: 'blocked', ingress: 'allowed'
  },
  // [concept] "Network policies do not conflict; they are additive."
  {
    name: 'two policies add up', policies: [dbIn([{ ports: [{ port: 80 }] }]), policy('prod', 'db-pg', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }] }] })], from: E.client, to: E.db, port: 5432, verdict: 'allowed', match: 'db-pg#0'
  },
  // [concept] "the connections allowed in that direction from that pod is the union of what the applicable policies allow"
  {
    name: 'default deny plus an allow: allowed', policies: [deny('prod', 'deny', ['Ingress']), dbIn([{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed', match: 'db-in#0'
  },
  // [concept] "With this policy in place, no additional policy or policies can cause any incoming connection to those pods to be denied."
  {
    name: 'allow-all ingress prevails', policies: [policy('prod', 'allow-all', { podSelector: {}, ingress: [{}] }), dbIn([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'allowed', match: 'allow-all#0'
  },
  // [concept] "With this policy in place, no additional policy or policies can cause any outgoing connection from those pods to be denied."
  {
    name: 'allow-all egress prevails', policies: [deny('prod', 'deny-out', ['Egress']), policy('prod', 'allow-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })], from: E.client, to: E.internet, port: 443, verdict: 'allowed', egress: 'allowed', match: 'allow-out#0'
  },
  // [api] spec.podSelector: "This field is optional. If it is not specified, it defaults to an empty selector."
  {
    name: 'a missing spec.podSelector selects every pod of the namespace', policies: [policy('prod', 'p', { policyTypes: ['Ingress'] })], from: E.client, to: E.web, port: 8080, verdict: 'blocked'
  },
  // [concept] "An empty podSelector selects all pods in the namespace."
  {
    name: 'an empty spec.podSelector isolates every pod', policies: [deny('prod', 'deny', ['Ingress'])], from: E.client, to: E.web, port: 8080, verdict: 'blocked'
  },
  // [api] podSelector "selects the pods to which this NetworkPolicy object applies" (a non-matching one leaves the pod alone)
  {
    name: 'a policy for other labels does not isolate', policies: [deny('prod', 'deny', ['Ingress'], { matchLabels: { app: 'other' } })], from: E.client, to: E.db, port: 5432, verdict: 'allowed', ingress: 'unrestricted'
  },

  // --- peer selectors ---------------------------------------------------------------------------
  // [concept] "podSelector: This selects particular Pods in the same namespace as the NetworkPolicy"
  {
    name: 'podSelector peer admits a pod of the policy namespace', policies: [dbIn([{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed', match: 'db-in#0'
  },
  // [api] "Otherwise it selects the pods matching podSelector in the policy's own namespace."
  {
    name: 'podSelector peer ignores the same labels elsewhere', policies: [dbIn([{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [api] podSelector peer: "if present but empty, it selects all pods."
  {
    name: 'empty podSelector peer admits every pod of the namespace', policies: [dbIn([{ from: [{ podSelector: {} }] }])], from: E.nameless, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api] (same) an empty podSelector alone still means the policy's own namespace
  {
    name: 'empty podSelector peer does not reach other namespaces', policies: [dbIn([{ from: [{ podSelector: {} }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] "namespaceSelector: This selects particular namespaces for which all Pods should be allowed"
  {
    name: 'namespaceSelector peer admits pods of matching namespaces', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api] namespaceSelector: "if present but empty, it selects all namespaces."
  {
    name: 'empty namespaceSelector admits every namespace', policies: [dbIn([{ from: [{ namespaceSelector: {} }] }])], from: E.devWeb, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [concept] (namespaceSelector) a namespace without the label is not selected
  {
    name: 'namespaceSelector peer excludes other namespaces', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'c' } } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] "A single to/from entry that specifies both namespaceSelector and podSelector selects particular Pods within particular namespaces."
  {
    name: 'namespace and pod selector in one peer: both match', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [concept] (same) the pod matches but its namespace does not
  {
    name: 'namespace and pod selector in one peer: wrong namespace', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] (same) the namespace matches but the pod does not
  {
    name: 'namespace and pod selector in one peer: wrong pod', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.devWeb, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] "contains two elements in the from array, and allows connections from Pods in the local Namespace with the label role=client, or from any Pod in any namespace with the label user=alice"
  {
    name: 'two peers: any pod of the selected namespace', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.devWeb, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [concept] (same) the local pod with the label
  {
    name: 'two peers: the local pod', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [concept] (same) a pod with the label in a namespace the first peer does not select
  {
    name: 'two peers: labelled pod of an unselected namespace', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'c' } } }, { podSelector: { matchLabels: { app: 'client' } } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] "The Kubernetes control plane sets an immutable label kubernetes.io/metadata.name on all namespaces"
  {
    name: 'namespace by its name label', policies: [dbIn([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api LabelSelector] "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."
  {
    name: 'matchExpressions In', policies: [dbIn([{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['client', 'x'] }] } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api LabelSelector] (same) NotIn excludes the listed values
  {
    name: 'matchExpressions NotIn', policies: [dbIn([{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['client'] }] } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [labels docs] "environment notin (frontend)... and all resources with no labels with the environment key" (NotIn admits a pod without the key)
  {
    name: 'matchExpressions NotIn admits a pod without the key', policies: [dbIn([{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api LabelSelector] (same) Exists
  {
    name: 'matchExpressions Exists', policies: [dbIn([{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }] }])], from: E.web, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api LabelSelector] (same) DoesNotExist
  {
    name: 'matchExpressions DoesNotExist', policies: [dbIn([{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }] }])], from: E.web, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [api LabelSelector] "matchExpressions is a list of label selector requirements. The requirements are ANDed."
  {
    name: 'matchLabels and matchExpressions are ANDed', policies: [dbIn([{ from: [{ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] } }] }])], from: E.web, to: E.db, port: 5432, verdict: 'blocked'
  },

  // --- ipBlock ----------------------------------------------------------------------------------
  // [concept] "ipBlock: This selects particular IP CIDR ranges to allow as ingress sources or egress destinations."
  {
    name: 'ipBlock admits an outside address in range', policies: [dbIn([{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }])], from: E.internet, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api IPBlock] "except is a slice of CIDRs that should not be included within an IPBlock"
  {
    name: 'ipBlock except removes an address', policies: [dbIn([{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/29'] } }] }])], from: E.internet, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] "all of 172.17.0.0/16 except 172.17.1.0/24" (addresses outside the except range stay admitted)
  {
    name: 'ipBlock except leaves the rest admitted', policies: [dbIn([{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }])], from: E.internet, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [e2e] "should allow egress access to server in CIDR block": an ipBlock of the server pod's IP/32 admits it
  {
    name: 'ipBlock of a pod address admits that pod (egress)', policies: [clientOut([{ to: [{ ipBlock: { cidr: '10.52.0.11/32' } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed', egress: 'allowed'
  },
  // [e2e] (same) for ingress, a range covering pod addresses admits the pods in it
  {
    name: 'ipBlock of the pod range admits pods (ingress)', policies: [dbIn([{ from: [{ ipBlock: { cidr: '10.52.0.0/16' } }] }])], from: E.devClient, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [e2e] "should enforce except clause while egress access to server in CIDR block": the except of the server's IP/32 blocks it
  {
    name: 'ipBlock except of a pod address blocks that pod', policies: [clientOut([{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.52.0.11/32'] } }] }])], from: E.client, to: E.db, port: 5432, verdict: 'blocked', egress: 'blocked'
  },
  // [api IPBlock] cidr "Valid examples are "192.168.1.0/24" or "2001:db8::/64"" (an IPv4 block holds no IPv6 address)
  {
    name: 'IPv4 ipBlock does not admit an IPv6 address', policies: [dbIn([{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }])], from: E.internet6, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [api IPBlock] (same) IPv6 block
  {
    name: 'IPv6 ipBlock admits an IPv6 address', policies: [dbIn([{ from: [{ ipBlock: { cidr: '2001:db8::/64' } }] }])], from: E.internet6, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [concept] "you can allow traffic from a hostNetwork Pod using an ipBlock rule" (egress to a node address)
  {
    name: 'egress to a node address through an ipBlock', policies: [clientOut([{ to: [{ ipBlock: { cidr: '192.168.10.11/32' } }] }])], from: E.client, to: E.n1, port: 10250, verdict: 'allowed', egress: 'allowed', ingress: 'not-enforced'
  },

  // --- host network and nodes -------------------------------------------------------------------
  // [concept] "it ignores hostNetwork pods when matching podSelector and namespaceSelector ... (This is the most common implementation.)"
  {
    name: 'a pod selector does not admit a host-network pod', policies: [webIn([{ from: [{ podSelector: { matchLabels: { app: 'agent' } } }, { namespaceSelector: {} }] }])], from: E.agent, to: E.web, port: 8080, verdict: 'blocked'
  },
  // [concept] "since hostNetwork pods have the same IP addresses as the nodes they reside on, their connections will be treated as node connections"
  {
    name: 'an ipBlock of the node admits its host-network pod', policies: [webIn([{ from: [{ ipBlock: { cidr: '192.168.10.0/24' } }] }])], from: E.agent, to: E.web, port: 8080, verdict: 'allowed'
  },
  // [api] ingress: "Traffic is allowed to a pod if ... OR if the traffic source is the pod's local node"
  {
    name: 'the pod\'s own node is always admitted', policies: [deny('prod', 'deny', ['Ingress'])], from: E.n1, to: E.web, port: 8080, verdict: 'allowed', ingress: 'allowed', reason: 'resident-node'
  },
  // [concept] (same sentence) another node is not the pod's node
  {
    name: 'another node is not admitted by default', policies: [deny('prod', 'deny', ['Ingress'])], from: E.n2, to: E.web, port: 8080, verdict: 'blocked'
  },
  // [concept] "NetworkPolicy behavior for hostNetwork pods is undefined" (the common implementation: not filtered)
  {
    name: 'a host-network destination is not filtered', policies: [deny('kube-system', 'deny', ['Ingress'])], from: E.client, to: E.agent, port: 9100, verdict: 'allowed', ingress: 'not-enforced', reason: 'host-network'
  },

  // --- ports ------------------------------------------------------------------------------------
  // [api NetworkPolicyPort] "If present, only traffic on the specified protocol AND port will be matched."
  {
    name: 'numeric port matches', policies: [dbIn([{ ports: [{ port: 5432 }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api NetworkPolicyPort] (same) another port is not matched
  {
    name: 'numeric port does not match another port', policies: [dbIn([{ ports: [{ port: 5432 }] }])], from: E.client, to: E.db, port: 5433, verdict: 'blocked'
  },
  // [api NetworkPolicyPort] protocol: "If not specified, this field defaults to TCP."
  {
    name: 'protocol defaults to TCP', policies: [webIn([{ ports: [{ port: 53 }] }])], from: E.client, to: E.web, port: 53, protocol: UDP, verdict: 'blocked'
  },
  // [api NetworkPolicyPort] protocol "represents the protocol (TCP, UDP, or SCTP) which traffic must match"
  {
    name: 'UDP port rule', policies: [webIn([{ ports: [{ port: 53, protocol: 'UDP' }] }])], from: E.client, to: E.web, port: 53, protocol: UDP, verdict: 'allowed'
  },
  // [api NetworkPolicyPort] port: "If this field is not provided, this matches all port names and numbers."
  {
    name: 'protocol without port admits every port of it', policies: [webIn([{ ports: [{ protocol: 'UDP' }] }])], from: E.client, to: E.web, port: 5353, protocol: UDP, verdict: 'allowed'
  },
  // [api NetworkPolicyPort] "endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed"
  {
    name: 'endPort: the last port of the range', policies: [dbIn([{ ports: [{ port: 5400, endPort: 5432 }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [api NetworkPolicyPort] (same) just outside the range
  {
    name: 'endPort: one past the range', policies: [dbIn([{ ports: [{ port: 5400, endPort: 5431 }] }])], from: E.client, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [api NetworkPolicyPort] port: "This can either be a numerical or named port on a pod."
  {
    name: 'named port resolves on the destination pod', policies: [webIn([{ ports: [{ port: 'http' }] }])], from: E.client, to: E.web, port: 8080, verdict: 'allowed'
  },
  // [api NetworkPolicyPort] (same) the name stands for that number only
  {
    name: 'named port does not admit another number', policies: [webIn([{ ports: [{ port: 'http' }] }])], from: E.client, to: E.web, port: 9090, verdict: 'blocked'
  },
  // [api NetworkPolicyPort] "only traffic on the specified protocol AND port" (a UDP-named port under the TCP default)
  {
    name: 'named port with the wrong protocol', policies: [webIn([{ ports: [{ port: 'dns' }] }])], from: E.client, to: E.web, port: 53, protocol: UDP, verdict: 'blocked'
  },
  // [api NetworkPolicyPort] named "port on a pod": in egress, the destination pod's
  {
    name: 'named egress port resolves on the destination', policies: [clientOut([{ ports: [{ port: 'pg' }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed', egress: 'allowed'
  },
  // [api NetworkPolicyPort] (same) an outside address has no named ports
  {
    name: 'named egress port never matches an outside address', policies: [clientOut([{ ports: [{ port: 'https' }] }])], from: E.client, to: E.internet, port: 443, verdict: 'blocked'
  },
  // [api] ports: "Each item in this list is combined using a logical OR."
  {
    name: 'ports are ORed', policies: [dbIn([{ ports: [{ port: 80 }, { port: 5432 }] }])], from: E.client, to: E.db, port: 5432, verdict: 'allowed'
  },
  // [concept] "Each rule allows traffic which matches both the from and ports sections."
  {
    name: 'peer matches but port does not', policies: [dbIn([{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] }])], from: E.client, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] (same) port matches but the peer does not
  {
    name: 'port matches but peer does not', policies: [dbIn([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }])], from: E.client, to: E.db, port: 5432, verdict: 'blocked'
  },
  // [concept] "For other protocols, such as ARP or ICMP, the behavior is undefined."
  {
    name: 'ICMP to an isolated pod cannot be told', policies: [dbIn([{}])], from: E.client, to: E.db, port: 0, protocol: ICMP, verdict: 'unknown', reason: 'protocol-undefined'
  },
  // [concept] "By default, a pod is non-isolated for ingress" (for every protocol)
  {
    name: 'ICMP without policies is allowed', policies: [], from: E.client, to: E.db, port: 0, protocol: ICMP, verdict: 'allowed'
  },
  // [concept] "NetworkPolicy is defined for layer 4 connections (TCP, UDP, and optionally SCTP)."
  {
    name: 'SCTP port rule', policies: [dbIn([{ ports: [{ port: 9899, protocol: 'SCTP' }] }])], from: E.client, to: E.db, port: 9899, protocol: SCTP, verdict: 'allowed'
  },

  // --- Harvester, Services and the model's limits -----------------------------------------------
  // [concept] "NetworkPolicies apply to a connection with a pod on one or both ends" (a VLAN NIC is not a pod interface)
  {
    name: 'a VM NIC on a VLAN network is not enforced', policies: [deny('prod', 'deny', ['Ingress', 'Egress'])], from: E.vm1Vlan, to: E.internet, port: 443, verdict: 'not-enforced', egress: 'not-enforced', reason: 'vlan-network'
  },
  // [concept] "Pods become isolated by having a NetworkPolicy that selects them" (a VM on the pod network is its virt-launcher pod)
  {
    name: 'a VM on the pod network is its launcher pod', policies: [policy('prod', 'vm1-in', { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'vm1' } }, ingress: [{ ports: [{ port: 22 }] }] })], from: E.client, to: E.vm1, port: 22, verdict: 'allowed', match: 'vm1-in#0'
  },
  // [concept] (same) and the same VM on another port
  {
    name: 'a VM on the pod network: other port blocked', policies: [policy('prod', 'vm1-in', { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'vm1' } }, ingress: [{ ports: [{ port: 22 }] }] })], from: E.client, to: E.vm1, port: 80, verdict: 'blocked'
  },
  // [concept] "For egress, this means that connections from pods to Service IPs that get rewritten ..." (the backends and their target port decide)
  {
    name: 'to a Service: the backend\'s target port decides', policies: [webIn([{ ports: [{ port: 8080 }] }])], from: E.client, to: E.webSvc, port: 80, verdict: 'allowed'
  },
  // [api] (named port on a pod) a Service's named targetPort resolves on each backend
  {
    name: 'to a Service with a named target port', policies: [webIn([{ ports: [{ port: 'metrics' }] }])], from: E.client, to: E.webSvc, port: 81, verdict: 'allowed'
  },
  // [concept] ipBlock "should be cluster-external IPs" (a Service with no selector has no known backends)
  {
    name: 'to a Service without selector: cannot be told', policies: [clientOut([{ to: [{ podSelector: {} }] }])], from: E.client, to: E.extDbSvc, port: 5432, verdict: 'unknown', reason: 'service-without-backends'
  },
  // [concept] "Other pods that are allowed (exception: a pod cannot block access to itself)"
  {
    name: 'a pod to itself', policies: [deny('prod', 'deny', ['Ingress', 'Egress'])], from: E.db, to: E.db, port: 5432, verdict: 'allowed', reason: 'same-pod'
  },
];

function check(c: Case): void {
  const evaluator = evaluatorWith(c.policies);
  const v = evaluator.flow(flow(c.from, c.to, c.port, c.protocol ?? TCP));

  expect({ case: c.name, verdict: v.verdict }).toEqual({ case: c.name, verdict: c.verdict });
  if (c.egress) {
    expect({ case: c.name, egress: v.egress.state }).toEqual({ case: c.name, egress: c.egress });
  }
  if (c.ingress) {
    expect({ case: c.name, ingress: v.ingress.state }).toEqual({ case: c.name, ingress: c.ingress });
  }
  if (c.reason) {
    expect([...v.egress.reasons, ...v.ingress.reasons]).toContain(c.reason);
  }
  if (c.match) {
    const [name, rule] = c.match.split('#');

    expect([...v.egress.matches, ...v.ingress.matches]).toEqual(expect.arrayContaining([expect.objectContaining({ policy: name, rule: Number(rule) })]));
  }
}

describe('NetworkPolicy semantics of the flow verdict', () => {
  it('covers at least 60 cases, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });
  it.each(CASES.map((c) => [c.name, c]))('%s', (_name, c) => check(c as Case));
});
