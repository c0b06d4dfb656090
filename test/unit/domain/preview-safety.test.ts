import { describe, expect, it } from 'vitest';
import { findSecretsIn } from '../../../lib/domain/preview-safety.ts';

/* Fake secrets are assembled from pieces at test time (see test/unit/sanitize/secret-rules.test.ts). */
const password = ['Tr0', 'ub4dor&3', 'Qz'].join('');

describe('preview safety', () => {
  it('finds a secret written as escaped JSON inside a preview field, one and two levels deep', () => {
    // `"{\"password\":\"…\"}"` and `"\"{\\\"password\\\":…}\""` as the evidence text.
    const once = JSON.stringify(JSON.stringify({ password }));
    const twice = JSON.stringify(once);
    for (const evidence of [`request body: ${once}`, `logged: ${twice}`]) {
      expect(findSecretsIn({ issues: [{ evidence }] }), evidence).toEqual(['generic_secret']);
    }
  });

  it('keeps escaped-JSON placeholders and markers safe', () => {
    const text = JSON.stringify(JSON.stringify({ password: `\${DB_PASSWORD}`, token: '[REDACTED:jwt]' }));
    expect(findSecretsIn({ issues: [{ evidence: text }] })).toEqual([]);
  });
});
