import { describe, expect, it } from 'vitest';

import { ApiError, toApiError } from './ipc';

describe('toApiError', () => {
  it('keeps the core’s error body', () => {
    const e = toApiError({ code: 'input.invalid', message: 'invalid input: name required', details: { fields: [{ field: 'name', code: 'required', value: null }], value: null } });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('input.invalid');
    expect(e.fields).toEqual([{ field: 'name', code: 'required', value: null }]);
  });

  it('normalises strings and exceptions', () => {
    expect(toApiError('command list_customers not found').body).toEqual({ code: 'unknown', message: 'command list_customers not found', details: null });
    expect(toApiError(new TypeError('boom')).message).toBe('boom');
    expect(toApiError({ code: 'db.busy', message: 'busy' }).body.details).toBeNull();
  });
});
