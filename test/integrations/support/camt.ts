/** A transaction inside a CAMT.053 entry. */
export type CamtTx = {
  amount?: string;
  endToEndId?: string;
  debtor?: string;
  debtorIban?: string;
  ustrd?: string;
  strdRef?: string;
  ref?: string;
};
export type CamtEntry = {
  amount: string;
  sign: 'CRDT' | 'DBIT';
  date: string;
  status?: string;
  txs?: CamtTx[];
  info?: string;
};

function tx(t: CamtTx, sign: 'CRDT' | 'DBIT'): string {
  return `
          <TxDtls>
            <Refs>${t.ref ? `<AcctSvcrRef>${t.ref}</AcctSvcrRef>` : ''}<EndToEndId>${t.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs>
            ${t.amount ? `<AmtDtls><TxAmt><Amt Ccy="EUR">${t.amount}</Amt></TxAmt></AmtDtls>` : ''}
            ${
              t.debtor
                ? `<RltdPties>
              <${sign === 'CRDT' ? 'Dbtr' : 'Cdtr'}><Nm>${t.debtor}</Nm></${sign === 'CRDT' ? 'Dbtr' : 'Cdtr'}>
              ${t.debtorIban ? `<DbtrAcct><Id><IBAN>${t.debtorIban}</IBAN></Id></DbtrAcct>` : ''}
            </RltdPties>`
                : ''
            }
            ${
              t.ustrd || t.strdRef
                ? `<RmtInf>${t.ustrd ? `<Ustrd>${t.ustrd}</Ustrd>` : ''}${
                    t.strdRef ? `<Strd><CdtrRefInf><Ref>${t.strdRef}</Ref></CdtrRefInf></Strd>` : ''
                  }</RmtInf>`
                : ''
            }
          </TxDtls>`;
}

/** A camt.053.001.02 statement of one account with the given entries, as a French bank sends it. */
export function camt053(entries: CamtEntry[], iban = 'FR7630006000011234567890189'): string {
  const body = entries
    .map(
      (e, i) => `
      <Ntry>
        <NtryRef>${i + 1}</NtryRef>
        <Amt Ccy="EUR">${e.amount}</Amt>
        <CdtDbtInd>${e.sign}</CdtDbtInd>
        <Sts>${e.status ?? 'BOOK'}</Sts>
        <BookgDt><Dt>${e.date}</Dt></BookgDt>
        <ValDt><Dt>${e.date}</Dt></ValDt>
        <AcctSvcrRef>BANK-${e.date}-${i + 1}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        ${
          e.txs
            ? `<NtryDtls>${e.txs.map((t) => tx(t, e.sign)).join('')}
        </NtryDtls>`
            : ''
        }
        ${e.info ? `<AddtlNtryInf>${e.info}</AddtlNtryInf>` : ''}
      </Ntry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-2026-03-02</MsgId><CreDtTm>2026-03-02T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-2026-03-02-1</Id>
      <CreDtTm>2026-03-02T06:00:00</CreDtTm>
      <Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${body}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
