<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>BenchPage</name>
    <message>
        <source>Next action</source>
        <translation>Nächster Schritt</translation>
    </message>
</context>
<context>
    <name>BillableModel</name>
    <message>
        <source>Line · shipment, parcel</source>
        <translation>Position · Sendung, Paket</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Versandt</translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation>Berechnet</translation>
    </message>
    <message>
        <source>Billable</source>
        <translation>Berechenbar</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>Berechnen</translation>
    </message>
</context>
<context>
    <name>CandidatesModel</name>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Versandt</translation>
    </message>
    <message>
        <source>Returnable</source>
        <translation>Rückgabefähig</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Frist</translation>
    </message>
    <message>
        <source>Found by</source>
        <translation>Gefunden über</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>station {station}  ·  {name} ({role})</source>
        <translation>Station {station}  ·  {name} ({role})</translation>
    </message>
    <message>
        <source>Last scan</source>
        <translation>Letzter Scan</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>&amp;Open serial scanner</source>
        <translation>Seriellen Scanner &amp;öffnen</translation>
    </message>
    <message>
        <source>Test scan</source>
        <translation>Testscan</translation>
    </message>
</context>
<context>
    <name>FaultBand</name>
    <message>
        <source>Something went wrong</source>
        <translation>Etwas ist schiefgegangen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>InvoicesPage</name>
    <message>
        <source>Type or scan an order number, then Enter</source>
        <translation>Auftragsnummer eingeben oder scannen, dann Enter</translation>
    </message>
    <message>
        <source>Order to invoice</source>
        <translation>Zu berechnender Auftrag</translation>
    </message>
    <message>
        <source>Billable per line and shipment</source>
        <translation>Berechenbar je Position und Sendung</translation>
    </message>
    <message>
        <source>What to bill</source>
        <translation>Was berechnet wird</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Filter: order</source>
        <translation>Filter: Auftrag</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Filter: customer</source>
        <translation>Filter: Kunde</translation>
    </message>
    <message>
        <source>Filter: kind</source>
        <translation>Filter: Art</translation>
    </message>
    <message>
        <source>Filter: state</source>
        <translation>Filter: Stand</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <source>&amp;Back to the list</source>
        <translation>&amp;Zurück zur Liste</translation>
    </message>
</context>
<context>
    <name>IssuedModel</name>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Ausgestellt</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>Gepackt</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Versandt</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <source>Returnable</source>
        <translation>Rückgabefähig</translation>
    </message>
</context>
<context>
    <name>LogViewer</name>
    <message>
        <source>Log — {folder}</source>
        <translation>Protokoll — {folder}</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>{level} and above</source>
        <translation>{level} und höher</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Only entries containing…</source>
        <translation>Nur Einträge mit…</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Log entries</source>
        <translation>Protokolleinträge</translation>
    </message>
    <message>
        <source>Log folder: {folder}</source>
        <translation>Protokollordner: {folder}</translation>
    </message>
    <message>
        <source>Entries shown: {n}</source>
        <translation>Angezeigte Einträge: {n}</translation>
    </message>
</context>
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
    <name>MainWindow</name>
    <message>
        <source>Station {station} — Packbench</source>
        <translation>Station {station} — Packbench</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
</context>
<context>
    <name>PackPage</name>
    <message>
        <source>Order lines</source>
        <translation>Auftragspositionen</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>Drucken</translation>
    </message>
    <message>
        <source>Why only part ships, e.g. &apos;TEA-EARL-100 out of stock&apos;</source>
        <translation>Warum nur ein Teil versendet wird, z. B. „TEA-EARL-100 nicht vorrätig“</translation>
    </message>
    <message>
        <source>Weight, e.g. 1.25 (kg) or 1250 g, then Enter</source>
        <translation>Gewicht, z. B. 1.25 (kg) oder 1250 g, dann Enter</translation>
    </message>
    <message>
        <source>Close parcel</source>
        <translation>Paket schließen</translation>
    </message>
    <message>
        <source>New parcel</source>
        <translation>Neues Paket</translation>
    </message>
    <message>
        <source>Next box</source>
        <translation>Nächster Karton</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>Ship partial…</source>
        <translation>Teillieferung…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Nachdrucken</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>Verlassen</translation>
    </message>
    <message>
        <source>No order open</source>
        <translation>Kein Auftrag offen</translation>
    </message>
    <message>
        <source>Last: order {order} → {shipment}.</source>
        <translation>Zuletzt: Auftrag {order} → {shipment}.</translation>
    </message>
    <message>
        <source>ORDER {order}  ·  {lines}  ·  {carrier}  ·  ship to: {destination}</source>
        <translation>AUFTRAG {order}  ·  {lines}  ·  {carrier}  ·  Lieferung an: {destination}</translation>
    </message>
    <message>
        <source>not claimed (offline)</source>
        <translation>nicht reserviert (offline)</translation>
    </message>
    <message>
        <source>Parcel {n} of {count}</source>
        <translation>Paket {n} von {count}</translation>
    </message>
    <message>
        <source>tare {weight}</source>
        <translation>Tara {weight}</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>stabil</translation>
    </message>
    <message>
        <source>settling…</source>
        <translation>pendelt sich ein…</translation>
    </message>
    <message>
        <source>typed</source>
        <translation>eingegeben</translation>
    </message>
    <message>
        <source>no scale: F6 to type the weight</source>
        <translation>keine Waage: F6, um das Gewicht einzugeben</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Invoice preview</source>
        <translation>Rechnungsvorschau</translation>
    </message>
    <message>
        <source>Select an invoice to see it here.</source>
        <translation>Wählen Sie eine Rechnung, um sie hier zu sehen.</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>Als CSV speichern…</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
</context>
<context>
    <name>ReturnsPage</name>
    <message>
        <source>Shipped in the order</source>
        <translation>Im Auftrag versandt</translation>
    </message>
    <message>
        <source>Taken back in this return</source>
        <translation>In dieser Retoure zurückgenommen</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Restock</source>
        <translation>Einlagern</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>Quarantäne</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>Verschrotten</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Lieferant</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>Verlassen</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings — station {station}</source>
        <translation>Einstellungen — Station {station}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Saved to {file}</source>
        <translation>Gespeichert in {file}</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>Central store</source>
        <translation>Zentraler Speicher</translation>
    </message>
    <message>
        <source>Scanners</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>Label printer</source>
        <translation>Etikettendrucker</translation>
    </message>
    <message>
        <source>Documents printer</source>
        <translation>Dokumentendrucker</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Waage</translation>
    </message>
    <message>
        <source>Boxes</source>
        <translation>Kartons</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>GS1</source>
        <translation>GS1</translation>
    </message>
    <message>
        <source>Review rules</source>
        <translation>Prüfregeln</translation>
    </message>
    <message>
        <source>Return policy</source>
        <translation>Retourenregeln</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>Nichts geändert.</translation>
    </message>
    <message>
        <source>Saved and applied: {changed}.</source>
        <translation>Gespeichert und übernommen: {changed}.</translation>
    </message>
    <message>
        <source>These take effect when Packbench is started again: {keys}.</source>
        <translation>Diese wirken erst nach einem Neustart von Packbench: {keys}.</translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation>Frage an…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Print test label</source>
        <translation>Testetikett drucken</translation>
    </message>
    <message>
        <source>Printer status</source>
        <translation>Druckerstatus</translation>
    </message>
    <message>
        <source>No scale is set ([scale] port is empty).</source>
        <translation>Keine Waage eingestellt ([scale] port ist leer).</translation>
    </message>
    <message>
        <source>The scale at {port} said nothing.</source>
        <translation>Die Waage an {port} hat nicht geantwortet.</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>stabil</translation>
    </message>
    <message>
        <source>still moving</source>
        <translation>noch in Bewegung</translation>
    </message>
    <message>
        <source>Read weight</source>
        <translation>Gewicht lesen</translation>
    </message>
    <message>
        <source>Scan any barcode: what the scanner sent shows here.</source>
        <translation>Scannen Sie einen beliebigen Barcode: was der Scanner sendet, erscheint hier.</translation>
    </message>
    <message>
        <source>Test area</source>
        <translation>Testbereich</translation>
    </message>
    <message>
        <source>Read {text} (symbology {symbology}) from {source}</source>
        <translation>Gelesen: {text} (Symbologie {symbology}) von {source}</translation>
    </message>
</context>
<context>
    <name>StationStatusBar</name>
    <message>
        <source>DEMO DATA</source>
        <translation>DEMODATEN</translation>
    </message>
    <message>
        <source>station {station}</source>
        <translation>Station {station}</translation>
    </message>
    <message>
        <source>scanner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>printer</source>
        <translation>Drucker</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>Waage</translation>
    </message>
    <message>
        <source>central</source>
        <translation>Zentrale</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>prüfe…</translation>
    </message>
    <message>
        <source>nobody signed in</source>
        <translation>niemand angemeldet</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>offline ({where})</source>
        <translation>offline ({where})</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <source>Units</source>
        <translation>Einheiten</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync now</source>
        <translation>Jetzt abgleichen</translation>
    </message>
    <message>
        <source>Commands the central store refused</source>
        <translation>Vom zentralen Speicher abgelehnte Befehle</translation>
    </message>
</context>
<context>
    <name>UnitsModel</name>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Seriennr.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>Geht nach</translation>
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
