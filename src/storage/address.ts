import type { Address } from '../domain/ledger.ts';

/** The postal address columns shared by companies and customers. */
export type AddressColumns = {
  address_line1: string | null;
  address_line2: string | null;
  postcode: string | null;
  city: string | null;
  country: string;
};

export function addressFromRow(row: AddressColumns): Address {
  return {
    line1: row.address_line1,
    line2: row.address_line2,
    postcode: row.postcode,
    city: row.city,
    country: row.country,
  };
}

export function addressToRow(address: Partial<Address> | undefined): AddressColumns {
  return {
    address_line1: address?.line1 ?? null,
    address_line2: address?.line2 ?? null,
    postcode: address?.postcode ?? null,
    city: address?.city ?? null,
    country: address?.country ?? 'FR',
  };
}
