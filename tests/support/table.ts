/**
 * Reading the shell's SortableTable (@rancher/shell 3.0.8 components/SortableTable) in component tests: its root
 * is `<componentTestid>-list-container`, each row a `tr.main-row`, an empty table one `tr.no-rows`, and a header
 * a `th` with its label.
 */
import { DOMWrapper, VueWrapper } from '@vue/test-utils';

type Wrapper = VueWrapper<any> | DOMWrapper<Element>;

const container = (testid: string) => `[data-testid="${ testid }-list-container"]`;

/** The rows shown (one page when paging). */
export function tableRows(w: Wrapper, testid: string): DOMWrapper<Element>[] {
  return w.findAll(`${ container(testid) } > table > tbody > tr.main-row`);
}

/** The text of each row shown. */
export function rowTexts(w: Wrapper, testid: string): string[] {
  return tableRows(w, testid).map((r) => r.text());
}

/** The text of the sub-row under each row shown (SortableTable's `sub-row` slot), '' for a row without one. */
export function subRowTexts(w: Wrapper, testid: string): string[] {
  return tableRows(w, testid).map((r) => {
    const next = r.element.nextElementSibling;

    return next && next.classList.contains('sub-row') ? (next.textContent ?? '').trim() : '';
  });
}

/** The text of each cell of each row shown. */
export function cellTexts(w: Wrapper, testid: string): string[][] {
  return tableRows(w, testid).map((r) => r.findAll(':scope > td').map((td) => td.text()));
}

/** The row SortableTable shows without rows (its no-rows key's text, or the no-rows slot). */
export function noRows(w: Wrapper, testid: string): DOMWrapper<Element> {
  return w.find(`${ container(testid) } > table > tbody > tr.no-rows`);
}

/** The labels of the headers, in order. */
export function headerLabels(w: Wrapper, testid: string): string[] {
  return w.findAll(`${ container(testid) } > table > thead th`).map((th) => th.text());
}

/** The header labelled `label`; fails the test when there is none. */
export function header(w: Wrapper, testid: string, label: string): DOMWrapper<Element> {
  const th = w.findAll(`${ container(testid) } > table > thead th`).find((h) => h.text() === label);

  if (!th) {
    throw new Error(`no header "${ label }" in ${ testid }: ${ JSON.stringify(headerLabels(w, testid)) }`);
  }

  return th;
}

/** The header's aria-sort as SortableTable's THead sets it: the shell's `generic.ascending|descending|none` text. */
export function ariaSort(w: Wrapper, testid: string, label: string): string | undefined {
  return header(w, testid, label).attributes('aria-sort');
}
