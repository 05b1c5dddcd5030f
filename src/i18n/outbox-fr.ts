/** Why a message of the outbox is not sent, and what an SMTP refusal means, in French: `outbox.*` keys. */
export const outboxFr = {
  errors: {
    noSmtp: "Non envoyé : aucun serveur SMTP n'est configuré (Paramètres > E-mail).",
    noSmtpAttachment:
      "Non envoyé : aucun serveur SMTP n'est configuré (Paramètres > E-mail) ; pièces jointes impossibles à joindre : {{reason}}",
    login: "Envoi arrêté : le serveur SMTP refuse la connexion ou l'identifiant ({{reply}}).",
    notSmtp: 'Le serveur indiqué ne répond pas comme un serveur SMTP : nouvel essai plus tard.',
    refused: 'Refusé par le serveur SMTP : {{reply}}',
    deferred: 'Différé par le serveur SMTP, nouvel essai plus tard : {{reply}}',
    unreachable: 'Serveur SMTP injoignable, nouvel essai plus tard : {{reply}}',
    gaveUp: 'Abandonné après {{attempts}} essais : {{reply}}',
    loginRefused: "Envoi arrêté : le serveur SMTP refuse l'identifiant ou le mot de passe (Paramètres > E-mail).",
    rejected: 'Refusé par le serveur de messagerie ({{status}}) : $t(outbox.smtp.{{why}}).',
    postponed: 'Différé par le serveur de messagerie ({{status}}), nouvel essai plus tard : $t(outbox.smtp.{{why}}).',
    network: 'Serveur SMTP injoignable, nouvel essai plus tard : $t(outbox.smtp.{{why}}).',
    gaveUpWhy: 'Abandonné après {{attempts}} essais : $t(outbox.smtp.{{why}}).',
    attachment: 'Pièce jointe impossible à produire : {{reason}}',
    attachmentWhy: 'Pièce jointe impossible à produire : $t({{why}})',
    noSmtpAttachmentWhy:
      "Non envoyé : aucun serveur SMTP n'est configuré (Paramètres > E-mail) ; pièce jointe impossible à joindre : $t({{why}})",
    interrupted:
      "Interrompu pendant l'envoi : le serveur l'a peut-être reçu, il n'est donc pas renvoyé automatiquement (« Renvoyer » après vérification).",
    bounced: "Revenu en erreur, l'adresse est signalée : {{reason}}",
    bouncedUnknown: "Revenu en erreur, l'adresse est signalée : $t(outbox.smtp.{{why}}).",
    bouncedWhy: "Revenu en erreur ({{status}}), l'adresse est signalée : $t(outbox.smtp.{{why}}).",
    cancelled: {
      settled: "Annulé avant l'envoi : la facture {{invoice}} est réglée ou soldée.",
      disputed: "Annulé avant l'envoi : la facture {{invoice}} est en litige.",
      blocked: "Annulé avant l'envoi : les relances du client sont bloquées.",
      paused: "Annulé avant l'envoi : les relances du client sont en pause.",
      promised: "Annulé avant l'envoi : un paiement de la facture {{invoice}} est promis.",
      changed:
        "Annulé avant l'envoi : le solde de la facture {{invoice}} a changé ; la prochaine relance repartira des données du jour.",
      bounced: 'Annulé : le message est revenu en erreur ; la relance repart par courrier.',
    },
  },
  smtp: {
    unknownUser: "l'adresse du destinataire n'existe pas (corrigez l'e-mail du contact)",
    unknownDomain: "le domaine de l'adresse du destinataire n'existe pas ou ne reçoit pas d'e-mails",
    mailboxFull: 'la boîte du destinataire est pleine',
    tooBig: 'le message est trop gros pour le destinataire (pièces jointes ?)',
    policy: "refusé par les règles du serveur destinataire (filtre anti-spam, SPF, DKIM ou DMARC de l'expéditeur)",
    temporary: 'un problème passager du serveur destinataire',
    permanent: 'refus définitif',
    connectionRefused: 'le serveur refuse la connexion (mauvais port, ou serveur arrêté)',
    timeout: 'le serveur ne répond pas à temps',
    hostNotFound: 'le nom du serveur est inconnu (vérifiez Paramètres > E-mail)',
    loginRefused: "le serveur refuse l'identifiant ou le mot de passe (Paramètres > E-mail)",
    notSmtp: 'le serveur indiqué ne répond pas comme un serveur SMTP',
    settingsUnreadable:
      'les réglages e-mail enregistrés sont illisibles (serveur SMTP ou clé DKIM) : saisissez-les à nouveau dans Paramètres > E-mail',
    connection: 'le serveur SMTP refuse la connexion sécurisée ou la configuration (Paramètres > E-mail) : {{reply}}',
    identity: "l'identité de la société est incomplète, renseignez : {{gaps, keys}}",
    unexpected: "une erreur inattendue s'est produite ; les messages restent en file et l'incident est journalisé",
  },
  /** A reference to a document that cannot be made into an attachment (a row written by an older version). */
  attachmentUnreadable: 'la référence de la pièce jointe est illisible',
  /** What a reminder needs of the company's identity before it may leave (src/domain/identity.ts). */
  identity: {
    incomplete:
      "Aucune relance ne peut partir tant que l'identité de la société est incomplète. Renseignez : {{gaps, keys}}.",
    address:
      "l'adresse postale de la société (lettres) — Paramètres › Société, ou relance company set --address-line1 … --postcode … --city …",
    iban: "l'IBAN (le règlement par virement est proposé) — Paramètres › Société, ou relance company set --iban …",
    senderEmail:
      "l'adresse d'expédition des e-mails — Paramètres › Société (expéditeur) ou E-mail, ou relance company set --sender-email …",
  },
};
