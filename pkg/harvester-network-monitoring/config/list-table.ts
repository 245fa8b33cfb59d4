/**
 * The shell's SortableTable (@rancher/shell 3.0.8 components/SortableTable) as our lists use it: their rows are
 * computed views, not resources, so nothing is selected and there are no bulk or per-row action menus (those
 * read a resource model's availableActions); and no search box, unless a long list turns it back on.
 */
export const LIST_TABLE = Object.freeze({ search: false, tableActions: false, rowActions: false });
