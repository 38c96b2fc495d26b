import { Init1795405523728 } from './1795405523728-Init.js';

/** Every migration, oldest first. `npm run migration:generate -- Name` writes a new file to add here. */
export const MIGRATIONS = [Init1795405523728];
