import type { IsoDate } from '../../domain/calendar.ts';
import { formatAmount, type Cents } from '../../domain/money.ts';
import { sepaText } from './identifiers.ts';

export type Pain008Debit = {
  endToEndId: string;
  amount: Cents;
  mandateReference: string;
  mandateSignedOn: IsoDate;
  sequenceType: 'FRST' | 'RCUR';
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  /** What the debtor's statement shows: the invoice number(s). */
  remittance: string;
};

export type Pain008Input = {
  messageId: string;
  /** ISO date-time of creation, written as is (no milliseconds). */
  createdAt: string;
  collectionDate: IsoDate;
  creditor: { name: string; iban: string; bic: string | null; creditorId: string };
  debits: Pain008Debit[];
};

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function sum(debits: Pain008Debit[]): string {
  return formatAmount(
    debits.reduce((s, d) => s + d.amount, 0),
    'EUR',
  );
}

/** A bank identified by BIC, or "NOTPROVIDED" (allowed for SEPA since IBAN-only, 2016). */
function agent(bic: string | null, indent: string): string {
  const id = bic ? `<BIC>${bic}</BIC>` : '<Othr><Id>NOTPROVIDED</Id></Othr>';
  return `${indent}<FinInstnId>${id}</FinInstnId>`;
}

/**
 * A SEPA Core direct-debit initiation, pain.008.001.02 (the customer-to-bank version French banks take
 * for "Prélèvements XML"): one payment information block per sequence type (first debits of a mandate
 * and recurring ones must not be mixed), amounts in euros with two decimals, texts in the SEPA
 * character set and within the rulebook's lengths.
 */
export function buildPain008(input: Pain008Input): string {
  const groups = (['FRST', 'RCUR'] as const)
    .map((seq) => ({ seq, debits: input.debits.filter((d) => d.sequenceType === seq) }))
    .filter((g) => g.debits.length > 0);
  const t = (text: string, max: number) => escapeXml(sepaText(text, max));
  // A name is mandatory; one written wholly outside the SEPA character set (Cyrillic, Greek…) leaves nothing.
  const name = (text: string) => t(text, 70) || 'NOTPROVIDED';
  const blocks = groups
    .map(
      ({ seq, debits }) => `
    <PmtInf>
      <PmtInfId>${t(`${input.messageId}-${seq}`, 35)}</PmtInfId>
      <PmtMtd>DD</PmtMtd>
      <BtchBookg>true</BtchBookg>
      <NbOfTxs>${debits.length}</NbOfTxs>
      <CtrlSum>${sum(debits)}</CtrlSum>
      <PmtTpInf>
        <SvcLvl><Cd>SEPA</Cd></SvcLvl>
        <LclInstrm><Cd>CORE</Cd></LclInstrm>
        <SeqTp>${seq}</SeqTp>
      </PmtTpInf>
      <ReqdColltnDt>${input.collectionDate}</ReqdColltnDt>
      <Cdtr><Nm>${name(input.creditor.name)}</Nm></Cdtr>
      <CdtrAcct><Id><IBAN>${input.creditor.iban}</IBAN></Id></CdtrAcct>
      <CdtrAgt>
${agent(input.creditor.bic, '        ')}
      </CdtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtrSchmeId><Id><PrvtId><Othr><Id>${input.creditor.creditorId}</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>${debits
        .map(
          (d) => `
      <DrctDbtTxInf>
        <PmtId><EndToEndId>${t(d.endToEndId, 35)}</EndToEndId></PmtId>
        <InstdAmt Ccy="EUR">${formatAmount(d.amount, 'EUR')}</InstdAmt>
        <DrctDbtTx><MndtRltdInf><MndtId>${t(d.mandateReference, 35)}</MndtId><DtOfSgntr>${d.mandateSignedOn}</DtOfSgntr></MndtRltdInf></DrctDbtTx>
        <DbtrAgt>
${agent(d.debtorBic, '          ')}
        </DbtrAgt>
        <Dbtr><Nm>${name(d.debtorName)}</Nm></Dbtr>
        <DbtrAcct><Id><IBAN>${d.debtorIban}</IBAN></Id></DbtrAcct>
        <RmtInf><Ustrd>${t(d.remittance, 140)}</Ustrd></RmtInf>
      </DrctDbtTxInf>`,
        )
        .join('')}
    </PmtInf>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <CstmrDrctDbtInitn>
    <GrpHdr>
      <MsgId>${t(input.messageId, 35)}</MsgId>
      <CreDtTm>${input.createdAt}</CreDtTm>
      <NbOfTxs>${input.debits.length}</NbOfTxs>
      <CtrlSum>${sum(input.debits)}</CtrlSum>
      <InitgPty><Nm>${name(input.creditor.name)}</Nm></InitgPty>
    </GrpHdr>${blocks}
  </CstmrDrctDbtInitn>
</Document>
`;
}
