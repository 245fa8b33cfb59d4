import { DASHBOARDS } from '@pkg/domain/grafana/catalog';
import { frameState } from '@pkg/domain/grafana/state';
import { answerGrafana } from '../../../sandbox/backend/grafana';

const probe = (path: string) => {
  const a = answerGrafana('GET', path);

  return { status: a.status, message: a.body };
};

describe('e2e Grafana stand-in', () => {
  it('answers health and the provisioned dashboards so the frame becomes ready', () => {
    DASHBOARDS.forEach((d) => {
      expect(frameState({
        stackInstalled: true, grafanaReady: true, health: probe('/api/health'), dashboard: probe(`/api/dashboards/uid/${ d.uid }`)
      })).toEqual({ state: 'ready' });
    });
  });

  it('says a dashboard it does not have is missing', () => {
    expect(frameState({
      stackInstalled: true, grafanaReady: true, health: probe('/api/health'), dashboard: probe('/api/dashboards/uid/nope')
    })).toEqual({ state: 'dashboard-missing' });
  });

  it('renders dashboard pages with variables as text', () => {
    const page = answerGrafana('GET', `/d/${ DASHBOARDS[0].uid }/x?orgId=1&var-vm=${ encodeURIComponent('<img src=x>') }`);

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('&#60;img src=x&#62;');
    expect(page.body).not.toContain('<img');
  });

  it('refuses writes and unknown paths', () => {
    expect(answerGrafana('POST', '/api/health').status).toBe(405);
    expect(answerGrafana('GET', '/api/admin/users').status).toBe(404);
  });
});

describe('Grafana stand-in: dashboard search', () => {
  it('lists the provisioned dashboards asked for by uid, and [] for others (the agent dashboard is not provisioned)', () => {
    const found = answerGrafana('GET', '/api/search?dashboardUIDs=Network_K8s_Pod');
    const missing = answerGrafana('GET', '/api/search?dashboardUIDs=DeepFlow_Agent');

    expect(found.status).toBe(200);
    expect(JSON.parse(found.body).map((d: any) => d.uid)).toEqual(['Network_K8s_Pod']);
    expect([missing.status, missing.body]).toEqual([200, '[]']);
  });
});
