/**
 * What searches compare: small letters without accents, so that "societe" finds "Société" and "ELECTRICITE"
 * finds "Électricité" on both engines (neither folds accents in its LIKE). Ligatures become their letters.
 * Pure: the same function writes the stored search column and folds what the user typed.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

/**
 * The stored search text of a customer: its code and its name, folded. A line feed keeps them apart, so a
 * search never matches across the two.
 */
export function customerSearchText(code: string, name: string): string {
  return `${foldForSearch(code)}\n${foldForSearch(name)}`;
}
