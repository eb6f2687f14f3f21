// The care schedule's types, generated from the core (src/care/types.rs) by ts-rs.

export type { CareActivity } from '../bindings/CareActivity';
export type { CareBucket } from '../bindings/CareBucket';
export type { CareCounts } from '../bindings/CareCounts';
export type { CareCursor } from '../bindings/CareCursor';
export type { CareFilter } from '../bindings/CareFilter';
export type { CareInput } from '../bindings/CareInput';
export type { CarePage } from '../bindings/CarePage';
export type { CareRule } from '../bindings/CareRule';
export type { CareRuleInput } from '../bindings/CareRuleInput';
export type { CareScope } from '../bindings/CareScope';
export type { CareState } from '../bindings/CareState';
export type { Completed } from '../bindings/Completed';
export type { TimelineCursor } from '../bindings/TimelineCursor';
export type { TimelineEntry } from '../bindings/TimelineEntry';
export type { TimelineKind } from '../bindings/TimelineKind';
