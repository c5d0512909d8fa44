/**
 * The notebook side of the course: charts, tables, self-checks and helpers for tslab notebooks.
 * Notebooks import it as `import { plot, table, check, … } from '../dist/notebook'`; the math core
 * (`../dist`) never imports it.
 */
export * from './plot';
export * from './check';
export * from './need';
export * from './style';
export * from './describe';
export * from './charts';
export * from './experiment';
export * from './matrix-figures';
export * from './exercise-guard';
