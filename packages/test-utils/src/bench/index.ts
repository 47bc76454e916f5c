export * from './processCpu';
export * from './stats';
