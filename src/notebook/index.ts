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
export * from './diagrams';
export * from './network-charts';
export * from './playground';
export * from './network-views';
// Inside a tslab kernel, importing the kit installs the kernel hooks (short errors that point at the
// cell's line, progress of long fits); anywhere else this import does nothing.
export { lastCellError } from './kernel';
export * from './matrix-figures';
export * from './exercise-guard';
