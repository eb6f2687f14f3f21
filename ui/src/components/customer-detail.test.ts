import { afterEach, describe, expect, it } from 'vitest';

import { setLang } from '../i18n';
import { historyValue } from './customer-detail';

afterEach(() => setLang('en'));

describe('history values', () => {
  it('shows owners by name, falling back to the id', () => {
    const names = new Map([[1, 'Nguyễn Thị Mai']]);
    expect(historyValue('owner_id', 1, names)).toBe('Nguyễn Thị Mai');
    expect(historyValue('owner_id', 7, names)).toBe('#7');
  });

  it('translates kinds and joins lists', () => {
    setLang('vi');
    expect(historyValue('kind', 'business')).toBe('Doanh nghiệp');
    expect(historyValue('phones', ['0912 345 678', '028 3823 4567'])).toBe('0912 345 678, 028 3823 4567');
  });
});
