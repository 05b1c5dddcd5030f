import { manualFr } from './manual-fr.ts';

/**
 * Textes français des refus que lèvent les cas d'usage, les stockages et les adaptateurs (clés `problem.*`
 * du catalogue) : chaque AppError nomme l'une de ces clés, pour que chacun lise le refus dans sa langue.
 */
export const problemsFr = {
  asWritten: '{{text}}',
  manual: manualFr,
  invalidValue: "« {{value}} » n'est pas une valeur valide",
  option: '{{option}} : $t({{why}})',
  notEmail: "« {{value}} » n'est pas une adresse e-mail.",
  fieldNotEmail: "{{field}} : « {{value}} » n'est pas une adresse e-mail.",
  notFound: {
    hidden: 'Introuvable.',
    company: "Aucune société avec l'identifiant {{id}}.",
    user: "Aucun utilisateur avec l'identifiant {{id}}.",
    member: "Aucun utilisateur avec l'identifiant {{id}} dans cette société.",
    account: "Aucun compte avec l'adresse e-mail {{email}}.",
    invitation: "Aucune invitation en attente avec l'identifiant {{id}}.",
    customer: "Aucun client avec l'identifiant {{id}}.",
    customerCode: 'Aucun client avec le code {{code}}.',
    contact: "Aucun contact avec l'identifiant {{id}} pour ce client.",
    activity: "Aucune note ni tâche avec l'identifiant {{id}}.",
    invoice: "Aucune facture avec l'identifiant {{id}}.",
    scheduleRequest: "Aucune demande d'échéancier avec l'identifiant {{id}}.",
    reply: "Aucune réponse avec l'identifiant {{id}}.",
    replyAttachment: 'Aucune pièce jointe n° {{position}} sur la réponse {{id}}.',
    invoiceNumber: 'Aucune facture numéro {{number}}.',
    invoicesNumbered: 'Aucune facture numéro {{numbers}}.',
    invoicesOfCustomer: 'Aucune facture {{numbers}} pour le client {{customer}}.',
    invoicesForCustomer: 'Aucune facture {{numbers}} pour ce client.',
    invoicePdf: "La facture {{invoice}} n'a pas de PDF enregistré.",
    schedule: "La facture {{invoice}} n'a pas d'échéancier.",
    quoteNumber: 'Aucun devis numéro {{number}}.',
    quoteOfCustomer: 'Aucun devis {{id}} pour le client {{customer}}.',
    payment: "Aucun règlement avec l'identifiant {{id}}.",
    chequeSlip: "Aucun bordereau de remise de chèques avec l'identifiant {{id}}.",
    communication: "Aucune communication avec l'identifiant {{id}}.",
    communicationReminder: "La communication {{id}} n'a pas de relance.",
    run: "Aucune campagne de relance avec l'identifiant {{id}}.",
    runLetters: "La campagne {{id}} n'a aucun courrier à imprimer.",
    planLevel: "Le plan du {{date, isodate}} n'a rien à envoyer au niveau {{level}}.",
    message: "Aucun message avec l'identifiant {{id}}.",
    policy: 'Aucun scénario de relance nommé {{name}}.',
    apiToken: "Aucun jeton d'API avec l'identifiant {{id}}.",
    activeApiToken: "Aucun jeton d'API actif avec l'identifiant {{id}}.",
    webhook: "Aucun webhook avec l'identifiant {{id}}.",
    bankLine: "Aucune ligne bancaire avec l'identifiant {{id}}.",
    unmatchedBankLine: "Aucune ligne bancaire non rapprochée avec l'identifiant {{id}}.",
    mandate: 'Aucun mandat actif de référence {{reference}}.',
    debitFile: 'Aucun fichier de prélèvement {{id}}.',
    toCollect: 'Aucune facture à prélever au {{date, isodate}} (ouverte, échue, avec un mandat).',
    portalFile: "Aucune pièce jointe de la page de paiement avec l'identifiant {{id}}.",
  },
  auth: {
    loginRefused:
      'Adresse e-mail ou mot de passe incorrect, ou trop de tentatives échouées (le compte est alors bloqué 15 minutes).',
    noCompany: "Ce compte n'appartient encore à aucune société.",
    tokenCompany: "Un jeton d'API reste dans sa société ; connectez-vous pour en changer.",
    resetLink: 'Ce lien de réinitialisation est invalide, déjà utilisé ou expiré.',
    currentPassword:
      'Le mot de passe actuel est faux, ou trop de tentatives échouées ont bloqué le compte pour 15 minutes.',
    tokenInvalid: "Le jeton d'API est invalide ou révoqué.",
    required: "Connectez-vous, ou envoyez un jeton d'API (« Authorization: Bearer … »).",
    csrf: "Une écriture avec le cookie de session demande l'en-tête {{header}} donné par /api/v1/session.",
    notLoggedIn: 'Vous n’êtes pas connecté.',
    tooManyLogins: 'Trop de tentatives de connexion ; patientez quelques minutes.',
    tooManyAttempts: 'Trop de tentatives ; patientez quelques minutes.',
    tooManyRequests: 'Trop de demandes depuis cette adresse ; patientez quelques minutes.',
  },
  accounts: {
    lastAdmin: 'La société doit garder au moins un administrateur.',
    logoImage: "Le logo n'est pas une image PNG ou JPEG encodée en base64.",
    tokenUser: 'Indiquez la personne au nom de laquelle le jeton agit (userId).',
    demoLoginOnly: 'La connexion de démonstration ne se fait que sur des données de démonstration.',
    passwordShort_one: 'Le mot de passe doit avoir au moins {{count}} caractère.',
    passwordShort_other: 'Le mot de passe doit avoir au moins {{count}} caractères.',
    passwordLong_one: 'Le mot de passe doit avoir au plus {{count}} caractère.',
    passwordLong_other: 'Le mot de passe doit avoir au plus {{count}} caractères.',
  },
  file: {
    cannotRead: 'Impossible de lire {{file}} : {{reason}}.',
    cannotWrite: "Impossible d'écrire {{file}} : {{reason}}.",
    notJson: 'Impossible de lire {{file}} comme du JSON : {{reason}}.',
    notPdf: "{{file}} n'est pas un fichier PDF.",
    uploadTime: "{{file}} : non lu, l'envoi a duré plus de {{seconds}} s (la limite d'un envoi).",
    readTime: "{{file}} : sa lecture a duré plus de {{seconds}} s (la limite d'un envoi).",
    unreadable: '{{file}} : illisible ({{reason}}).',
  },
  cli: {
    runOrLevel: "Indiquez soit --run ID, soit --level N (avec --date D, aujourd'hui par défaut).",
    bankStatus: '--status vaut unmatched (non rapprochée), matched (rapprochée) ou ignored (ignorée).',
    termsDays: '--terms-days doit être entre 0 et 365.',
    noSuchOption: "relance import {{command}} n'a pas d'option {{option}}.",
    oneOutput: 'Choisissez une seule sortie : --json, --csv, --xlsx ou --pdf.',
    months: '--months doit être entre 1 et 60.',
    invoiceNeedsCustomer: '--invoice demande --customer.',
  },
  dunning: {
    futureDate:
      'Le {{date, isodate}} est dans le futur ; utilisez le plan (relance plan, ou --dry-run) pour le simuler.',
    restrictedRun: 'Un chargé de recouvrement limité à un représentant relance un client à la fois.',
    unknownLaw: "« {{value}} » n'est pas un régime de pénalités de retard (FR, DE, GB, EU ou default).",
  },
  policy: {
    invalid_one: 'Scénario de relance invalide : {{count}} problème.',
    invalid_other: 'Scénario de relance invalide : {{count}} problèmes.',
  },
  quotes: {
    emailOnly: 'Scénario de devis invalide : les suivis de devis partent par e-mail.',
    validUntil: 'Devis {{quote}} : la date de validité précède la date du devis.',
  },
  rates: {
    missing:
      'Aucun {{name}} enregistré pour le $t(cli.halfYear.{{half}}) : saisissez-le avec relance rates set (ou Paramètres › Taux).',
    unknownSeries: "« {{value}} » n'est pas une série de taux ({{list}}).",
    notDate: "« {{value}} » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ).",
    halfYear:
      'Le taux légal français est fixé par semestre : sa date est le 1er janvier ou le 1er juillet, pas le {{date, isodate}}.',
    notRate: "« {{value}} » n'est pas un taux en pourcentage comme 2,40.",
    source: 'Indiquez où le taux est publié (source), par ex. « Communiqué BCE du 11 juin 2026 ».',
  },
  ecb: {
    notExport:
      'Ce n\'est pas un export CSV du portail de données de la BCE : la première ligne doit être "DATE","TIME PERIOD","<série>".',
    wrongSeries: 'Le fichier contient la série « {{series}} », pas le taux de refinancement principal ({{expected}}).',
    badLines_one: "{{count}} ligne du fichier BCE est illisible ; rien n'a été importé.",
    badLines_other: "{{count}} lignes du fichier BCE sont illisibles ; rien n'a été importé.",
    empty: 'Le fichier BCE ne contient aucune valeur.',
  },
  internal: {
    unexpected: "Une erreur inattendue s'est produite ; elle a été enregistrée dans le journal.",
    planCharges: 'Les frais du plan demandent les factures lues avec leurs règlements.',
  },
  activity: {
    taskDate: 'Une tâche demande une date (dueOn).',
    onlyTask: 'Seule une tâche peut être marquée comme faite.',
  },
  portal: {
    refusalMessage: "Dites au client pourquoi l'échéancier est refusé (message).",
    alreadyAnswered: "La demande d'échéancier {{id}} a déjà reçu une réponse.",
  },
  demo: {
    realData: "Cette société contient des données réelles, pas de démonstration : rien n'a été supprimé.",
    notEmpty: 'Cette société a déjà des clients ; chargez la démonstration dans une base vide (option --db).',
  },
  documents: {
    restrictedSummary:
      'Un chargé de recouvrement limité à un représentant imprime le récapitulatif un client à la fois (customer).',
    logoType: 'Logo : seules les images PNG et JPEG peuvent être imprimées sur les courriers.',
    logoSize: "Logo : l'image doit faire moins de 2 Mo.",
    window: "La fenêtre d'enveloppe est invalide : {{reason}}.",
  },
  http: {
    cursor: "Le curseur n'est pas un de ceux que cette API a renvoyés.",
    multipartFile: 'Envoyez le CSV en multipart/form-data dans un champ « file ».',
    fileField: 'Le corps multipart doit contenir un champ « file ».',
    mapping: 'Le champ « mapping » doit être un objet JSON champ → nom de colonne.',
    multipartFiles: 'Envoyez les fichiers en multipart/form-data dans des champs « file ».',
    unexpectedField: 'Champ multipart inattendu « {{field}} » ; utilisez « file ».',
    fileFields: 'Le corps multipart doit contenir au moins un champ « file ».',
    exportLimit: 'Plus de {{count}} factures correspondent ; affinez le filtre.',
    unstorable:
      "Requête invalide : {{field}} contient un caractère qu'aucune base ne peut garder (NUL ou substitut isolé).",
    invalidRequest_one: 'Requête invalide : {{count}} problème.',
    invalidRequest_other: 'Requête invalide : {{count}} problèmes.',
  },
  templates: {
    invoicesNeedCustomer: 'Les factures demandent un client (customerId).',
  },
  ledger: {
    invoiceOfOtherCustomer: "La facture {{invoice}} n'appartient pas au client {{customer}}.",
    mixedCurrency: 'La facture {{invoice}} est en {{currency}}, pas en {{expected}} : un message par devise.',
    invoiceChanged: "Affectation impossible sur la facture {{invoice}} : elle a changé pendant l'import.",
    invoicesChanged: "Affectation des règlements impossible : une facture a changé pendant l'import.",
    dueBeforeIssue: "Facture {{invoice}} : la date d'échéance précède la date de facture.",
    invoiceExists: 'Une facture numéro {{number}} existe déjà.',
    hasAllocations: "Des règlements ou avoirs sont affectés à la facture {{invoice}} : retirez-les d'abord.",
  },
  customers: {
    codeExists: 'Un client avec le code {{code}} existe déjà.',
    userExists: "Un utilisateur avec l'adresse e-mail {{email}} existe déjà.",
    policyExists: 'Un scénario de relance nommé {{name}} existe déjà.',
  },
  import: {
    badRows_one: "{{file}} : {{count}} ligne incorrecte ; rien n'a été importé.",
    badRows_other: "{{file}} : {{count}} lignes incorrectes ; rien n'a été importé.",
    header: "L'en-tête de {{file}} ne convient pas ; rien n'a été importé.",
    nulByte:
      "Ligne {{line}}, colonne {{column}} : le fichier contient un octet NUL, ce qu'aucun fichier texte ne contient.",
    nulByte_inFile:
      "{{file}} : ligne {{line}}, colonne {{column}} : le fichier contient un octet NUL, ce qu'aucun fichier texte ne contient.",
    badUtf8:
      'Ligne {{line}}, colonne {{column}} : UTF-8 invalide dans un fichier par ailleurs en UTF-8 ; enregistrez-le de nouveau en UTF-8.',
    badUtf8_inFile:
      '{{file}} : ligne {{line}}, colonne {{column}} : UTF-8 invalide dans un fichier par ailleurs en UTF-8 ; enregistrez-le de nouveau en UTF-8.',
  },
  bank: {
    notCsv: "{{file}} : ce n'est pas un relevé bancaire CSV : {{reason}}.",
    badRows_one: "{{file}} : {{count}} ligne incorrecte ; rien n'a été importé.",
    badRows_other: "{{file}} : {{count}} lignes incorrectes ; rien n'a été importé.",
    noInvoice: 'Indiquez au moins une facture à rapprocher de la ligne bancaire.',
    alreadyDone: 'La ligne bancaire {{id}} est déjà $t(problem.bank.status.{{status}}).',
    status: { unmatched: 'non rapprochée', matched: 'rapprochée', ignored: 'ignorée' },
    oneCustomer: "Les factures d'une ligne bancaire doivent appartenir à un même client.",
    currency: 'La facture {{invoice}} est en {{currency}}, la ligne bancaire en {{lineCurrency}}.',
    pdf: '{{file}} : un relevé PDF ne peut pas être lu ; exportez-le en CAMT.053 ou en CSV.',
    tooManyLines: '{{file}} : trop de lignes (la limite pour un fichier est de {{count}}).',
  },
  einvoice: {
    allocated:
      '{{file}} : la facture {{invoice}} a déjà reçu {{amount, money}} ; son nouveau total ou sa devise ne les couvre plus.',
    rejected_one:
      "{{count}} fichier sur {{total}} n'a pas pu être importé ({{names}}) ; rien n'a été importé (--skip-invalid pour importer les autres).",
    rejected_other:
      "{{count}} fichiers sur {{total}} n'ont pas pu être importés ({{names}}) ; rien n'a été importé (--skip-invalid pour importer les autres).",
  },
  fec: {
    separator: "{{file}} : ce n'est pas un FEC (l'en-tête n'est séparé ni par « | » ni par des tabulations).",
    column:
      "{{file}} : ce n'est pas un FEC : la colonne {{column}} de l'en-tête devrait être {{expected}}, trouvé « {{found}} ».",
    badCells_one: "{{file}} : {{count}} cellule incorrecte ; rien n'a été importé.",
    badCells_other: "{{file}} : {{count}} cellules incorrectes ; rien n'a été importé.",
  },
  xml: {
    invalid: '{{file}} : {{where}}{{reason}}.',
    notWellFormed: '{{file}} : XML mal formé, ligne {{line}} (fichier abîmé, tronqué ou qui n’est pas du XML).',
  },
  sepa: {
    noCreditor: "La société n'a pas d'identifiant créancier ou pas d'IBAN valide.",
    dateNotAfter: "La date de prélèvement {{date, isodate}} doit suivre aujourd'hui ({{today, isodate}}).",
    notTargetDay:
      "La date de prélèvement {{date, isodate}} n'est pas un jour de règlement SEPA (TARGET) ; le prochain est le {{next, isodate}}.",
    noIcs: 'Aucun identifiant créancier SEPA (ICS) : indiquez-le avec relance sepa settings --creditor-id.',
    noIban: "La société n'a pas d'IBAN valide où encaisser : indiquez-le avec relance company set --iban.",
    badBic: "Le BIC de la société {{bic}} n'est pas un BIC.",
    mandateReference:
      "Référence : « {{value}} » n'est pas une référence de mandat (1 à 35 caractères parmi A-Z a-z 0-9 / - ? : ( ) . , ' +, sans espace, sans « / » au début ou à la fin ni « // »).",
    mandateExists: 'Un mandat de référence {{reference}} existe déjà.',
  },
  mail: {
    attachmentRef: "Pièce jointe {{index}} : ce n'est pas une référence de pièce jointe valide.",
    chooseInvoice: 'Choisissez au moins une facture à relancer.',
    notRemindable: "La facture {{id}} n'est pas une facture impayée et non contestée de cette société.",
    oneCurrency: "Les factures d'une relance doivent être dans la même devise.",
    noEmail: "Le client {{customer}} n'a pas d'adresse e-mail ; indiquez-en une (destinataire).",
    alreadyAtLevel: 'Ces factures ont déjà été relancées au niveau {{level}} ; actualisez et choisissez de nouveau.',
    changed: 'Une facture a changé entre-temps (réglée, contestée…) ; actualisez et choisissez de nouveau.',
    notFailed:
      'Le message {{id}} est à l’état « $t(enums.outboxStatus.{{status}}) » ; seul un message en échec peut être renvoyé.',
    alreadyRequeued: 'Le message {{id}} a déjà été remis en file.',
    noSmtpConfigured: "Aucun serveur SMTP n'est configuré : indiquez smtpUrl (ou RELANCE_SMTP_URL) d'abord.",
    testRefused: "Le serveur SMTP {{server}} a refusé l'essai : {{reason}}",
    testRefusedWhy: "Le serveur SMTP {{server}} a refusé l'essai{{status}} : $t(outbox.smtp.{{why}}).",
    invalidSettings_one: 'Réglages e-mail invalides : {{count}} problème.',
    invalidSettings_other: 'Réglages e-mail invalides : {{count}} problèmes.',
    smtpHost: "Le serveur SMTP « {{host}} » n'est pas un nom d'hôte.",
    smtpPort: "Le port SMTP {{port}} n'est pas un numéro de port.",
    testTo: "Indiquez l'adresse où envoyer l'essai (destinataire).",
    stepNegative: "L'étape doit être 0 ou plus.",
    noUnpaid: "Le client {{customer}} n'a aucune facture impayée à montrer.",
    stepBeyond_one: 'Étape {{step}} : le scénario « {{policy}} » a {{count}} étape.',
    stepBeyond_other: 'Étape {{step}} : le scénario « {{policy}} » a {{count}} étapes.',
    simulationTo: "Indiquez l'adresse où envoyer la simulation (destinataire).",
    maskedPassword:
      'Serveur SMTP : saisissez de nouveau le mot de passe quand vous changez de serveur ou d’utilisateur.',
    noRecipient: 'Un e-mail demande au moins un destinataire.',
  },
  cheques: {
    none: 'Choisissez au moins un chèque.',
    noneWaiting: "Aucun chèque en attente de remise n'a l'un de ces identifiants.",
    currencies: "Un bordereau contient des chèques d'une seule devise ; ceux-ci sont en {{currencies}}.",
    remitted:
      'Ce chèque figure sur le bordereau de remise n° {{slip}}, déjà remis à la banque ; il ne peut pas être supprimé.',
    notWaiting: "Aucun chèque en attente de remise n'a l'identifiant {{id}}.",
    remittedMeanwhile: "Un chèque de ce bordereau a été remis entre-temps ; rien n'a été enregistré.",
  },
  buckets: {
    format:
      'Les tranches « {{value}} » doivent être 1 à 10 nombres entiers de jours séparés par des virgules, comme 30,60,90.',
    range: 'La borne de tranche {{bound}} doit être entre 1 et 3650 jours.',
    increase: 'Les bornes de tranches « {{value}} » doivent croître ({{previous}} puis {{next}}).',
  },
  backup: {
    nameTooLong: "Nom d'entrée d'archive trop long : {{name}}.",
    notArchive: "Ce fichier n'est pas une sauvegarde relance (pas une archive gzip).",
    truncated: 'Cette sauvegarde est tronquée.',
    postgres:
      'Sur PostgreSQL, sauvegardez avec pg_dump et gardez RELANCE_SECRET_KEY (ou data/secret.key) avec la sauvegarde : voir deploy/postgresql.md.',
    memory: 'Une base en mémoire ne peut pas être sauvegardée.',
    noDatabase: 'Aucune base de données à {{file}}.',
    notBackup: "{{file}} n'est pas une sauvegarde relance (elle ne contient pas {{entry}}).",
    holdsData:
      '{{file}} contient déjà des données : la restauration les remplacerait. Arrêtez le serveur et ajoutez --force pour les remplacer.',
    otherKey: '{{file}} contient une autre clé secrète ; ajoutez --force pour la remplacer par celle de la sauvegarde.',
  },
  company: {
    timeZone: "« {{value}} » n'est pas un fuseau horaire (nom IANA comme Europe/Paris).",
    automationTime: "L'heure d'automatisation « {{value}} » doit s'écrire HH:MM (sur 24 heures).",
    siret: "« {{value}} » n'est pas un SIRET (14 chiffres avec une clé valide).",
    shareCapital: 'Le capital social doit être un montant positif ou nul.',
    paymentLink:
      'Le lien de paiement « {{value}} » doit être une adresse http ou https sans espace, avec {{reference}}, {{amount}} ou {{customer}} là où vont les valeurs.',
    formalNoticeDays: 'Le délai de mise en demeure ({{value}}) doit être un nombre entier de jours de 1 à 90.',
    portalLinkDays:
      'La durée de validité des liens de la page de paiement ({{value}}) doit être un nombre entier de jours de 1 à 365.',
  },
  database: {
    bigInteger: "L'entier {{value}} dépasse la plage exacte des nombres JavaScript.",
    schemaName: 'Le schéma « {{value}} » doit être un identifiant SQL en minuscules.',
    postgres: 'PostgreSQL injoignable à {{location}} : {{reason}}',
    openFile: "Impossible d'ouvrir le fichier de la base {{file}} : {{reason}}",
    newer:
      'Cette base a été mise à jour par une version plus récente de relance (migrations {{migrations}} inconnues de celle-ci) : installez cette version ou une plus récente, ou restaurez une sauvegarde faite avant la mise à jour.',
    migration: 'La migration {{migration}} de la base a échoué : {{reason}}',
  },
  validation: {
    required: 'obligatoire',
    type: "n'a pas le type attendu",
    tooShort_one: 'au moins {{count}} caractère',
    tooShort_other: 'au moins {{count}} caractères',
    tooLong_one: 'au plus {{count}} caractère',
    tooLong_other: 'au plus {{count}} caractères',
    tooFew_one: 'au moins {{count}} élément',
    tooFew_other: 'au moins {{count}} éléments',
    tooMany_one: 'au plus {{count}} élément',
    tooMany_other: 'au plus {{count}} éléments',
    tooSmall: 'au moins {{limit}}',
    tooBig: 'au plus {{limit}}',
    email: "n'est pas une adresse e-mail (une seule adresse, sans retour à la ligne ni caractère de contrôle)",
    format: "n'a pas le format attendu",
    value: "n'est pas une valeur permise ({{values}})",
    unknownKeys: 'champs inconnus : {{keys}}',
    invalid: 'valeur invalide',
    invoicesOrLevel: 'indiquez les factures, ou le niveau du plan à imprimer',
  },
  webhooks: {
    url: 'Adresse du webhook refusée : {{reason}}.',
  },
};
