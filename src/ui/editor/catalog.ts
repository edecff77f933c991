/** What the editor knows about the engine's tables, for completion. `TableInfo[]` fits as it is. */
export interface Catalog {
  tables: readonly CatalogTable[];
}

export interface CatalogTable {
  name: string;
  columns: readonly { name: string; type: string }[];
}

export type EditorLanguage = 'sql' | 'markdown' | 'typescript' | 'yaml' | 'python';
