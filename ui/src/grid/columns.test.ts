import { describe, expect, it } from 'vitest';

import { COLUMNS, defaultLayout, gridTemplate, minRowWidth, moveColumn, moveColumnTo, normalizeLayout, resizeColumn, toggleColumn } from './columns';

describe('grid columns', () => {
  it('reads any stored preference into a valid layout', () => {
    expect(normalizeLayout(null)).toEqual(defaultLayout());
    expect(normalizeLayout({ columns: 'x' })).toEqual(defaultLayout());
    const l = normalizeLayout({
      columns: [
        { id: 'level', shown: true, width: 5 },
        { id: 'bogus', shown: true },
        { id: 'name', shown: false, width: 99999 },
        { id: 'level', shown: false },
      ],
    });
    expect(l.map((c) => c.id).slice(0, 2)).toEqual(['level', 'name']);
    expect(l).toHaveLength(COLUMNS.length);
    expect(l[0]).toEqual({ id: 'level', shown: true, width: 60 }); // clamped to its minimum
    expect(l[1]).toMatchObject({ id: 'name', shown: true, width: 800 }); // the name cannot be hidden
    expect(l.find((c) => c.id === 'code')?.shown).toBe(false); // columns added since come hidden
  });

  it('toggles, moves and resizes', () => {
    let l = toggleColumn(defaultLayout(), 'status', true);
    expect(l.find((c) => c.id === 'status')?.shown).toBe(true);
    expect(toggleColumn(l, 'name', false)).toBe(l);
    l = moveColumn(l, 'code', -1);
    expect(l[0]?.id).toBe('code');
    l = moveColumn(l, 'code', 1);
    expect(l[1]?.id).toBe('code');
    l = moveColumnTo(l, 'status', 0);
    expect(l[0]?.id).toBe('status');
    l = resizeColumn(l, 'phone', 150.4);
    expect(l.find((c) => c.id === 'phone')?.width).toBe(150);
  });

  it('lays out shown columns with the name taking spare room', () => {
    const l = defaultLayout().map((c) => ({ ...c, shown: c.id === 'name' || c.id === 'code' }));
    expect(gridTemplate(l)).toBe('40px 96px minmax(170px, 1fr)');
    expect(minRowWidth(l)).toBe(40 + 96 + 170);
  });
});
