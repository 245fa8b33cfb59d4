import SortableTable from '@shell/components/SortableTable';
import { mountWithShell, fakeStore } from '../support/mount';

it('probe', async() => {
  const w = mountWithShell(SortableTable, {
    props: {
      rows: [{ k: 'a', n: 2 }, { k: 'b', n: 1 }], headers: [{ name: 'k', label: 'K', value: 'k', sort: 'k' }, { name: 'n', label: 'N', value: 'n', sort: 'n' }],
      keyField: 'k', search: false, tableActions: false, rowActions: false,
    },
  });
  console.log(w.html());
});
