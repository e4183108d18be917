import { FocusArea, FocusGroup, focusGroupOf } from '../../../../common/brokering.ts';

/** Focus areas grouped as the vocabulary groups them (subjects, phases, aspects), for a select's option groups. */
export const focusAreaGroups = FocusGroup.codes.map((g) => ({
  label: FocusGroup.labels[g],
  options: FocusArea.codes.filter((a) => focusGroupOf[a] === g).map((a) => ({ value: a, label: FocusArea.labels[a] })),
}));
