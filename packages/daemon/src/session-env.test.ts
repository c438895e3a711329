import { describe, expect, it } from 'vitest';
import { sessionEnv } from './session-env.js';

describe('sessionEnv', () => {
  it('drops CI, CONTINUOUS_INTEGRATION and GITHUB_ACTIONS from the inherited environment, keeping CI_* and the rest', () => {
    const env = sessionEnv({ CI: 'true', CONTINUOUS_INTEGRATION: '1', GITHUB_ACTIONS: 'true', CI_JOB_ID: '7', PATH: '/bin' }, { VIBE_SESSION: '3' });
    expect(env).toEqual({ CI_JOB_ID: '7', PATH: '/bin', VIBE_SESSION: '3' });
  });

  it("keeps a CI variable the session's own environment sets", () => {
    expect(sessionEnv({ CI: 'true' }, { CI: '1' })).toEqual({ CI: '1' });
  });
});
