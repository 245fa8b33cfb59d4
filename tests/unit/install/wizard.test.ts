import {
  STEPS, blockingSteps, furtherStep, stepOfField, stepReadiness
} from '@pkg/domain/install/wizard';
import { PrerequisiteCheck } from '@pkg/domain/install/prerequisites';

const check = (result: PrerequisiteCheck['result']): PrerequisiteCheck => ({
  id: 'node-count', result, code: 'ok', params: {}
});
const ready = {
  checks: [check('pass'), check('warn')], errors: [], acknowledged: true, valuesError: ''
};

describe('wizard steps', () => {
  it('puts every field on the step that shows it', () => {
    expect(stepOfField('resources.agent.limits.cpu')).toBe('agents');
    expect(stepOfField('resources.server.limits.cpu')).toBe('sizing');
    expect(stepOfField('agents.interfaceRegex')).toBe('agents');
    expect(stepOfField('grafana.password')).toBe('access');
    expect(stepOfField('clickhouseStorage')).toBe('sizing');
    expect(stepOfField('repo')).toBe('summary');
  });

  it('lets the user on when nothing fails (warnings do not block)', () => {
    expect(Object.values(stepReadiness(ready)).every(Boolean)).toBe(true);
    expect(blockingSteps(ready)).toEqual([]);
  });

  it('blocks a step for a failed check, a field error, a missing acknowledgement or unreadable values', () => {
    const state = {
      checks: [check('fail')], errors: [{ field: 'grafana.nodePort', code: 'node-port' }], acknowledged: false, valuesError: 'bad indentation'
    };

    expect(blockingSteps(state)).toEqual(['prerequisites', 'access', 'review', 'summary']);
  });

  it('names only the blockers among the steps the user has opened', () => {
    const state = { ...ready, errors: [{ field: 'mysqlStorage', code: 'storage' }], acknowledged: false };

    expect(blockingSteps(state, 'prerequisites')).toEqual([]);
    expect(blockingSteps(state, 'sizing')).toEqual(['sizing']);
    expect(blockingSteps(state, 'review')).toEqual(['sizing', 'review']);
    expect(blockingSteps(state)).toEqual(['sizing', 'review']);
  });

  it('remembers the furthest step, also when the user goes back', () => {
    expect(furtherStep('prerequisites', 'access')).toBe('access');
    expect(furtherStep('review', 'sizing')).toBe('review');
    expect(STEPS.reduce(furtherStep)).toBe('summary');
  });
});
