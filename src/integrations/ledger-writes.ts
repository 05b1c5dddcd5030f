export type BuyerIdentity = {
  name: string;
  siren: string | null;
  vatNumber: string | null;
  email: string | null;
  address: {
    line1: string | null;
    line2: string | null;
    postcode: string | null;
    city: string | null;
    country: string;
  };
};

/** The customer code a buyer gets: its SIREN, else its name (`BOULANGERIE-MARTIN`). */
export function customerCodeBase(buyer: BuyerIdentity): string {
  return (
    buyer.siren ??
    (buyer.name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24) ||
      'CLIENT')
  );
}
