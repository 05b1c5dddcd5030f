import i18n from './index.ts';

/**
 * Words of the login page's password reset, the set-up checklist, the demo banner and the company's
 * legal identity, added to the translation under `goLive` so they live beside the screens that use them.
 */
const fr = {
  forgot: 'Mot de passe oublié ?',
  forgotTitle: 'Réinitialiser le mot de passe',
  forgotSubmit: 'Recevoir le lien',
  forgotSent:
    'Si un compte existe pour cette adresse, un e-mail avec un lien de réinitialisation vient de partir (valable une heure). ' +
    "Sans serveur d'envoi configuré, l'administrateur trouve le code dans le journal du serveur.",
  backToLogin: 'Retour à la connexion',
  newPassword: 'Nouveau mot de passe',
  resetSubmit: 'Changer le mot de passe',
  resetDone: 'Mot de passe changé : connectez-vous avec le nouveau.',
  checklistTitle: 'Mise en service',
  checklistIntro: "Ce qu'il reste à faire avant les premières relances réelles :",
  steps: {
    admin: 'Un administrateur',
    identity: "L'identité de la société (adresse, SIRET, IBAN…)",
    smtp: "L'envoi des e-mails (SMTP, expéditeur)",
    policy: 'Le scénario de relance',
    import: 'Le premier import de vos clients et factures',
  },
  stepDone: 'fait',
  stepTodo: 'à faire',
  open: 'Ouvrir',
  missing: {
    address: 'adresse',
    iban: 'IBAN',
    siret: 'SIRET',
    legalName: 'raison sociale',
    smtp: 'serveur SMTP',
    senderEmail: "adresse d'expédition",
    admin: 'administrateur',
    policy: 'scénario',
    customers: 'clients',
  },
  demoBanner: 'Données de démonstration : les clients, factures et relances affichés sont fictifs.',
  purge: 'Supprimer les données de démonstration',
  purgeConfirm:
    'Supprimer définitivement les clients, factures, paiements, relances et e-mails de démonstration ? Vos réglages et utilisateurs restent.',
  purged: 'Données de démonstration supprimées.',
  company: {
    legalForm: 'Forme juridique',
    shareCapital: 'Capital social (€)',
    siret: 'SIRET',
    rcs: 'RCS (ex. RCS Lyon 732 829 320)',
    phone: 'Téléphone',
    senderName: "Nom d'expéditeur des e-mails",
    senderEmail: "Adresse d'expédition des e-mails",
    timeZone: 'Fuseau horaire',
    ibanInvalid:
      'IBAN invalide : chiffres de contrôle faux ou format incorrect (ex. FR76 3000 6000 0112 3456 7890 189)',
    bicInvalid: 'BIC invalide : 8 ou 11 caractères (ex. AGRIFRPPXXX)',
  },
  smtp: {
    preset: "Fournisseur d'e-mail",
    presetOther: 'Autre serveur (saisie manuelle)',
    host: 'Serveur SMTP',
    port: 'Port',
    security: 'Sécurité',
    securityTls: 'TLS (port 465)',
    securityStarttls: 'STARTTLS (port 587)',
    securityNone: 'Aucune (relais local)',
    user: 'Identifiant',
    password: 'Mot de passe',
    passwordKept: 'Mot de passe enregistré (inchangé tant que ce champ est laissé tel quel)',
    none: 'Aucun serveur : les e-mails sont écrits en fichiers .eml et ne partent pas',
  },
};

const en: typeof fr = {
  forgot: 'Forgot your password?',
  forgotTitle: 'Reset your password',
  forgotSubmit: 'Send me the link',
  forgotSent:
    'If an account exists for this address, an e-mail with a reset link is on its way (valid one hour). ' +
    'Without a mail server configured, the administrator finds the code in the server log.',
  backToLogin: 'Back to login',
  newPassword: 'New password',
  resetSubmit: 'Change the password',
  resetDone: 'Password changed: log in with the new one.',
  checklistTitle: 'Going live',
  checklistIntro: 'What is left before the first real reminders:',
  steps: {
    admin: 'An administrator',
    identity: 'The company identity (address, SIRET, IBAN…)',
    smtp: 'Sending e-mails (SMTP, sender)',
    policy: 'The dunning policy',
    import: 'The first import of your customers and invoices',
  },
  stepDone: 'done',
  stepTodo: 'to do',
  open: 'Open',
  missing: {
    address: 'address',
    iban: 'IBAN',
    siret: 'SIRET',
    legalName: 'legal name',
    smtp: 'SMTP server',
    senderEmail: 'sender address',
    admin: 'administrator',
    policy: 'policy',
    customers: 'customers',
  },
  demoBanner: 'Demonstration data: the customers, invoices and reminders shown are fictitious.',
  purge: 'Delete the demonstration data',
  purgeConfirm:
    'Delete the demonstration customers, invoices, payments, reminders and e-mails for good? Your settings and users stay.',
  purged: 'Demonstration data deleted.',
  company: {
    legalForm: 'Legal form',
    shareCapital: 'Share capital (€)',
    siret: 'SIRET',
    rcs: 'Registry (e.g. RCS Lyon 732 829 320)',
    phone: 'Phone',
    senderName: 'Sender name of e-mails',
    senderEmail: 'Sender address of e-mails',
    timeZone: 'Time zone',
    ibanInvalid: 'Invalid IBAN: wrong check digits or format (e.g. FR76 3000 6000 0112 3456 7890 189)',
    bicInvalid: 'Invalid BIC: 8 or 11 characters (e.g. AGRIFRPPXXX)',
  },
  smtp: {
    preset: 'E-mail provider',
    presetOther: 'Other server (typed in)',
    host: 'SMTP server',
    port: 'Port',
    security: 'Security',
    securityTls: 'TLS (port 465)',
    securityStarttls: 'STARTTLS (port 587)',
    securityNone: 'None (local relay)',
    user: 'User name',
    password: 'Password',
    passwordKept: 'Password saved (unchanged while this field is left as it is)',
    none: 'No server: e-mails are written as .eml files and do not leave',
  },
};

i18n.addResourceBundle('fr', 'translation', { goLive: fr }, true, false);
i18n.addResourceBundle('en', 'translation', { goLive: en }, true, false);
