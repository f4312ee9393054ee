<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>LoginController</name>
    <message>
        <source>Choose your name in the list first, or scan your badge.</source>
        <translation>Wählen Sie zuerst Ihren Namen in der Liste oder scannen Sie Ihren Ausweis.</translation>
    </message>
    <message>
        <source>Type your PIN, then press Enter.</source>
        <translation>PIN eingeben, dann Enter drücken.</translation>
    </message>
    <message>
        <source>{name} has no workspace on this station. Ask a supervisor to check your role.</source>
        <translation>{name} hat an dieser Station keinen Arbeitsbereich. Bitten Sie eine Schichtleitung, Ihre Rolle zu prüfen.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Scan your badge</source>
        <translation>Ausweis scannen</translation>
    </message>
    <message>
        <source>No badge? Choose your name, type your PIN and press Enter.</source>
        <translation>Kein Ausweis? Namen wählen, PIN eingeben und Enter drücken.</translation>
    </message>
    <message>
        <source>Badge: scan it now</source>
        <translation>Ausweis: jetzt scannen</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Ausweis</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Esc: back to the badge field</source>
        <translation>Esc: zurück zum Ausweisfeld</translation>
    </message>
    <message>
        <source>Demo users: demo data only, these badges and PINs are public</source>
        <translation>Demo-Benutzer: nur Demodaten, diese Ausweise und PINs sind öffentlich</translation>
    </message>
    <message>
        <source>locked out</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Demo users</source>
        <translation>Demo-Benutzer</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Pick</source>
        <translation>Kommissionieren</translation>
    </message>
    <message>
        <source>Pack</source>
        <translation>Packen</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Retouren</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Invoices</source>
        <translation>Rechnungen</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Abgleich</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
</context>
</TS>
