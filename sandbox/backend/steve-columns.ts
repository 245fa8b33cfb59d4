/**
 * The table columns Steve puts into a schema's `attributes.columns`: the API server's own table
 * column definitions plus `field`, the JSON path of the column's cell in `metadata.fields`
 * (rancher/steve pkg/resources/common/dynamiccolumns.go, ColumnDefinition and SetColumns).
 *
 * The sandbox serves them for the types listed here, from definitions recorded from the real
 * kube-apiserver (seed/record-table-columns.ts). The shell needs the Event schema's: every resource
 * detail page builds its Events tab headers from them (shell 3.0.8 components/form/ResourceTabs,
 * headerFromSchemaColString throws when the schema has no `Subobject`, `Source` or `Count` column).
 * Other types get none: Steve would also fill each object's `metadata.fields` cells, which the
 * sandbox does not, and lists built from columns without cells would show empty columns.
 */
import recorded from './seed/table-columns.json';

export const TABLE_COLUMN_TYPES = ['event'];

/** metav1.TableColumnDefinition (all fields always serialized) plus Steve's `field`. */
export interface SteveColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  field: string;
}

const RECORDED = recorded as Record<string, unknown>;

/** The schema's `attributes.columns`, or undefined for a type the sandbox gives no columns. */
export function steveColumns(typeId: string): SteveColumn[] | undefined {
  const definitions = TABLE_COLUMN_TYPES.includes(typeId) ? RECORDED[typeId] : undefined;

  if (!Array.isArray(definitions)) {
    return undefined;
  }

  return definitions.map((d, i) => ({
    name:        String(d.name),
    type:        String(d.type),
    format:      String(d.format ?? ''),
    description: String(d.description ?? ''),
    priority:    Number(d.priority ?? 0),
    field:       `$.metadata.fields[${ i }]`,
  }));
}
