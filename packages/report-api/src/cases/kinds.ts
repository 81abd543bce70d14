/** The states and evidence kinds of cases, for the layers above storage (pages, CLI, API). */
export { CASE_KINDS, CASE_STATES, MAX_CASE_PAGE, type Case, type CaseKind, type CaseState } from '../db/cases.js';
