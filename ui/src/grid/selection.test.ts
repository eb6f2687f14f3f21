import { describe, expect, it } from 'vitest';

import { emptyFilter } from './filter';
import { SelectionModel } from './selection';

describe('SelectionModel', () => {
  it('tracks explicit ids', () => {
    const s = new SelectionModel();
    s.toggle(3);
    s.toggle(5);
    s.toggle(3);
    expect(s.size(100)).toBe(1);
    expect(s.toSelection('x')).toEqual({ type: 'ids', ids: [5] });
  });

  it('selects all matching minus the unticked ones', () => {
    const s = new SelectionModel();
    s.selectAllMatching();
    s.toggle(7);
    expect(s.isSelected(1)).toBe(true);
    expect(s.isSelected(7)).toBe(false);
    expect(s.size(40)).toBe(39);
    expect(s.toSelection('nguyen')).toEqual({ type: 'matching', search: 'nguyen', filter: emptyFilter(), except: [7] });
    const vip = { ...emptyFilter(), level_ids: [1] };
    expect(s.toSelection('', vip)).toEqual({ type: 'matching', search: '', filter: vip, except: [7] });
  });

  it('applies a range at once', () => {
    const s = new SelectionModel();
    s.setMany([1, 2, 3, 4], true);
    s.setMany([2, 3], false);
    expect(s.selectedIds().sort()).toEqual([1, 4]);
    s.clear();
    expect(s.isEmpty(10)).toBe(true);
  });
});
