<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AuditTab</name>
    <message>
        <source>Audit trail</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>name contains</source>
        <translation>Name enthält</translation>
    </message>
    <message>
        <source>e.g. ST-01</source>
        <translation>z. B. ST-01</translation>
    </message>
    <message>
        <source>e.g. pack. or user.created</source>
        <translation>z. B. pack. oder user.created</translation>
    </message>
    <message>
        <source>order number</source>
        <translation>Auftragsnummer</translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation>&amp;Filtern</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Station:</source>
        <translation>Station:</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Aktion:</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>Auftrag:</translation>
    </message>
    <message>
        <source>{n} entries, newest first</source>
        <translation>{n} Einträge, neueste zuerst</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Betrifft</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
</context>
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
    <name>ChannelProblemsModel</name>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Store account</source>
        <translation>Shop-Konto</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>pulling its orders</source>
        <translation>Abruf der Aufträge</translation>
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
    <name>DeviceState</name>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>listening</source>
        <translation>empfangsbereit</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>Scanners</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>Serial scanner port: /dev/serial/by-id/…, or the path packbench sim scanner printed</source>
        <translation>Anschluss des seriellen Scanners: /dev/serial/by-id/… oder der Pfad, den packbench sim scanner ausgab</translation>
    </message>
    <message>
        <source>Serial scanner port</source>
        <translation>Anschluss des seriellen Scanners</translation>
    </message>
    <message>
        <source>&amp;Open serial scanner</source>
        <translation>Seriellen Scanner &amp;öffnen</translation>
    </message>
    <message>
        <source>Test: scan here, or type a code and press Enter</source>
        <translation>Test: hier scannen oder einen Code eintippen und Enter drücken</translation>
    </message>
    <message>
        <source>Test scan</source>
        <translation>Testscan</translation>
    </message>
    <message>
        <source>Scan anything: what it means here shows here.</source>
        <translation>Beliebiges scannen: Was es hier bedeutet, steht hier.</translation>
    </message>
    <message>
        <source>Decoded scan</source>
        <translation>Entschlüsselter Scan</translation>
    </message>
    <message>
        <source>Label printer and scale are set up here in a later version; for now see the status bar (printer: %s, scale: %s).</source>
        <translation>Etikettendrucker und Waage werden in einer späteren Version hier eingerichtet; bis dahin siehe Statusleiste (Drucker: %s, Waage: %s).</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Type the scanner&apos;s port first, e.g. /dev/ttyACM0.</source>
        <translation>Erst den Anschluss des Scanners eintippen, z. B. /dev/ttyACM0.</translation>
    </message>
    <message>
        <source>Reading %s for this session. To keep it, set it as [scanner] port (with mode = &quot;serial&quot;) in %s.</source>
        <translation>%s wird für diese Sitzung gelesen. Zum Behalten als [scanner] port (mit mode = &quot;serial&quot;) in %s eintragen.</translation>
    </message>
</context>
<context>
    <name>Disposition</name>
    <message>
        <source>Restock</source>
        <translation>Wieder einlagern</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>Sperrlager</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>Verschrotten</translation>
    </message>
    <message>
        <source>Return to vendor</source>
        <translation>Zurück an Lieferanten</translation>
    </message>
</context>
<context>
    <name>Domain</name>
    <message>
        <source>Wrong bin: this is {scanned}, the list goes to {bin} next.</source>
        <translation>Falscher Lagerplatz: Das ist {scanned}, die Liste geht als Nächstes zu {bin}.</translation>
    </message>
    <message>
        <source>Go to {bin} and scan its label.</source>
        <translation>Zu {bin} gehen und das Etikett scannen.</translation>
    </message>
    <message>
        <source>Wrong item: {what} is not {sku} ({name}).</source>
        <translation>Falscher Artikel: {what} ist nicht {sku} ({name}).</translation>
    </message>
    <message>
        <source>Put it back and take {sku} from {bin}.</source>
        <translation>Zurücklegen und {sku} aus {bin} nehmen.</translation>
    </message>
    <message>
        <source>One too many: {sku} needs {left} more here, the scan counted {units}.</source>
        <translation>Einer zu viel: Von {sku} fehlen hier noch {left}, der Scan zählte {units}.</translation>
    </message>
    <message>
        <source>Wrong tote: order {order} goes in {tote} (slot {slot}), not {scanned}.</source>
        <translation>Falsche Kiste: Auftrag {order} kommt in {tote} (Fach {slot}), nicht in {scanned}.</translation>
    </message>
    <message>
        <source>Wrong tote: {tote} holds order {other}.</source>
        <translation>Falsche Kiste: In {tote} liegt Auftrag {other}.</translation>
    </message>
    <message>
        <source>Put the items for order {order} in slot {slot}&apos;s tote.</source>
        <translation>Die Artikel für Auftrag {order} in die Kiste von Fach {slot} legen.</translation>
    </message>
    <message>
        <source>{missing} short is more than the {open} still to pick here.</source>
        <translation>Fehlmenge {missing} ist mehr als die {open}, die hier noch zu kommissionieren sind.</translation>
    </message>
    <message>
        <source>Order {order} is void.</source>
        <translation>Auftrag {order} ist storniert.</translation>
    </message>
    <message>
        <source>Order {order} is on hold ({why}): release it first.</source>
        <translation>Auftrag {order} ist gesperrt ({why}): erst freigeben.</translation>
    </message>
    <message>
        <source>Order {order} is already on pick list {list}.</source>
        <translation>Auftrag {order} steht schon auf Pickliste {list}.</translation>
    </message>
    <message>
        <source>Order {order} holds no stock in any bin: allocate it first.</source>
        <translation>Auftrag {order} hat in keinem Lagerplatz Bestand: erst zuteilen.</translation>
    </message>
    <message>
        <source>Pick list {list} is done.</source>
        <translation>Pickliste {list} ist fertig.</translation>
    </message>
    <message>
        <source>Go to {bin}.</source>
        <translation>Zu {bin} gehen.</translation>
    </message>
    <message>
        <source>Take {n} × {sku}.</source>
        <translation>{n} × {sku} nehmen.</translation>
    </message>
    <message>
        <source>{bin}: take {n} × {sku}.</source>
        <translation>{bin}: {n} × {sku} nehmen.</translation>
    </message>
    <message>
        <source>Picking {list}.</source>
        <translation>Kommissioniere {list}.</translation>
    </message>
    <message>
        <source>Resumed {list}.</source>
        <translation>{list} fortgesetzt.</translation>
    </message>
    <message>
        <source>Pick list {list} is {state}. Scan another list.</source>
        <translation>Pickliste {list} ist {state}. Eine andere Liste scannen.</translation>
    </message>
    <message>
        <source>Pick list {list} is {state}: scan the list to pick from it.</source>
        <translation>Pickliste {list} ist {state}: die Liste scannen, um daraus zu kommissionieren.</translation>
    </message>
    <message>
        <source>Pick list {list} is done: nothing more to pick.</source>
        <translation>Pickliste {list} ist fertig: nichts mehr zu kommissionieren.</translation>
    </message>
    <message>
        <source>Pick list {list} is {state} (picked at another station).</source>
        <translation>Pickliste {list} ist {state} (an einer anderen Station kommissioniert).</translation>
    </message>
    <message>
        <source>Pick list {list} is being picked at {station} by {user}.</source>
        <translation>Pickliste {list} wird an {station} von {user} kommissioniert.</translation>
    </message>
    <message>
        <source>Pick list {list} is being picked at {station}.</source>
        <translation>Pickliste {list} wird an {station} kommissioniert.</translation>
    </message>
    <message>
        <source>Put the {n} item in hand in a tote first (scan the tote).</source>
        <translation>Erst den {n} Artikel in der Hand in eine Kiste legen (Kiste scannen).</translation>
    </message>
    <message>
        <source>Put the {n} items in hand in a tote first (scan the tote).</source>
        <translation>Erst die {n} Artikel in der Hand in eine Kiste legen (Kiste scannen).</translation>
    </message>
    <message>
        <source>Scan the bin first: go to {bin} and scan its label.</source>
        <translation>Erst den Lagerplatz scannen: zu {bin} gehen und das Etikett scannen.</translation>
    </message>
    <message>
        <source>Scan the item first: take {sku} from {bin}.</source>
        <translation>Erst den Artikel scannen: {sku} aus {bin} nehmen.</translation>
    </message>
    <message>
        <source>{n} item of {sku} in hand: put {m} in slot {slot}&apos;s tote (order {order}).</source>
        <translation>{n} Artikel {sku} in der Hand: {m} in die Kiste von Fach {slot} legen (Auftrag {order}).</translation>
    </message>
    <message>
        <source>{n} items of {sku} in hand: put {m} in slot {slot}&apos;s tote (order {order}).</source>
        <translation>{n} Artikel {sku} in der Hand: {m} in die Kiste von Fach {slot} legen (Auftrag {order}).</translation>
    </message>
    <message>
        <source>Short {n} × {sku} in {bin} ({reason}); a supervisor decides.</source>
        <translation>Fehlmenge {n} × {sku} in {bin} ({reason}); ein Vorgesetzter entscheidet.</translation>
    </message>
    <message>
        <source>{n} item of {sku} in hand: put {m} in {tote} (order {order}).</source>
        <translation>{n} Artikel {sku} in der Hand: {m} in {tote} legen (Auftrag {order}).</translation>
    </message>
    <message>
        <source>{n} items of {sku} in hand: put {m} in {tote} (order {order}).</source>
        <translation>{n} Artikel {sku} in der Hand: {m} in {tote} legen (Auftrag {order}).</translation>
    </message>
    <message>
        <source>{units} × {sku} in {tote} (order {order}).</source>
        <translation>{units} × {sku} in {tote} (Auftrag {order}).</translation>
    </message>
    <message>
        <source>Pick list {list} paused: scan it to go on.</source>
        <translation>Pickliste {list} pausiert: zum Weitermachen scannen.</translation>
    </message>
    <message>
        <source>Pick list {list} is {state}: only a list being picked pauses.</source>
        <translation>Pickliste {list} ist {state}: nur eine Liste in Kommissionierung wird pausiert.</translation>
    </message>
    <message>
        <source>No order waits in {tote}: it is empty, or its order was packed.</source>
        <translation>In {tote} wartet kein Auftrag: Sie ist leer oder ihr Auftrag wurde gepackt.</translation>
    </message>
    <message>
        <source>There is no order {order} at this station.</source>
        <translation>An dieser Station gibt es keinen Auftrag {order}.</translation>
    </message>
    <message>
        <source>There is no order {order}.</source>
        <translation>Es gibt keinen Auftrag {order}.</translation>
    </message>
    <message>
        <source>Order {order} ships what was picked ({n} short).</source>
        <translation>Auftrag {order} versendet das Kommissionierte (Fehlmenge {n}).</translation>
    </message>
    <message>
        <source>Order {order} has no short pick waiting for a choice.</source>
        <translation>Bei Auftrag {order} wartet keine Fehlmenge auf eine Entscheidung.</translation>
    </message>
    <message>
        <source>Nothing to pick.</source>
        <translation>Nichts zu kommissionieren.</translation>
    </message>
    <message>
        <source>{shown} is not on this order: put it aside.</source>
        <translation>{shown} gehört nicht zu diesem Auftrag: beiseitelegen.</translation>
    </message>
    <message>
        <source>{sku}: {packed} of {expected} already packed.</source>
        <translation>{sku}: {packed} von {expected} schon gepackt.</translation>
    </message>
    <message>
        <source>Put this one aside.</source>
        <translation>Diesen beiseitelegen.</translation>
    </message>
    <message>
        <source>{sku}: {units} more would make {total} of {expected}.</source>
        <translation>{sku}: {units} mehr ergäben {total} von {expected}.</translation>
    </message>
    <message>
        <source>Scan the single items instead.</source>
        <translation>Stattdessen die Einzelartikel scannen.</translation>
    </message>
    <message>
        <source>{sku}: only {packable} of {expected} are in stock for this order and {packed} are packed.</source>
        <translation>{sku}: Nur {packable} von {expected} sind für diesen Auftrag auf Lager und {packed} sind gepackt.</translation>
    </message>
    <message>
        <source>Ship partial, or wait for stock.</source>
        <translation>Teillieferung versenden oder auf Bestand warten.</translation>
    </message>
    <message>
        <source>{sku} needs its serial number: scan the serial barcode on the item.</source>
        <translation>{sku} braucht die Seriennummer: den Seriennummer-Barcode am Artikel scannen.</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} is already packed: scan the serial of this item.</source>
        <translation>Seriennummer {serial} von {sku} ist schon gepackt: die Seriennummer dieses Artikels scannen.</translation>
    </message>
    <message>
        <source>NEXT  scan the serial number of {sku}</source>
        <translation>WEITER  Seriennummer von {sku} scannen</translation>
    </message>
    <message>
        <source>NEXT  everything is packed: weigh the parcel and scan CLOSE</source>
        <translation>WEITER  Alles gepackt: Paket wiegen und CLOSE scannen</translation>
    </message>
    <message>
        <source>NEXT  {sku} is short of stock: CLOSE this parcel or SHIP-PARTIAL</source>
        <translation>WEITER  {sku} fehlt im Bestand: dieses Paket mit CLOSE schließen oder SHIP-PARTIAL</translation>
    </message>
    <message>
        <source>NEXT  {sku} is short of stock: SHIP-PARTIAL with a reason, or wait for stock</source>
        <translation>WEITER  {sku} fehlt im Bestand: SHIP-PARTIAL mit Grund oder auf Bestand warten</translation>
    </message>
    <message>
        <source>NEXT  scan {n} more {sku} with its serial, then {then}</source>
        <translation>WEITER  noch {n} × {sku} mit Seriennummer scannen, dann {then}</translation>
    </message>
    <message>
        <source>NEXT  scan {n} more {sku}, then {then}</source>
        <translation>WEITER  noch {n} × {sku} scannen, dann {then}</translation>
    </message>
    <message>
        <source>NEXT  scan {n} more {sku} with its serial</source>
        <translation>WEITER  noch {n} × {sku} mit Seriennummer scannen</translation>
    </message>
    <message>
        <source>NEXT  scan {n} more {sku}</source>
        <translation>WEITER  noch {n} × {sku} scannen</translation>
    </message>
    <message>
        <source>Order {order} is on hold ({why}): a supervisor must release it first.</source>
        <translation>Auftrag {order} ist gesperrt ({why}): Ein Vorgesetzter muss ihn erst freigeben.</translation>
    </message>
    <message>
        <source>Order {order} was voided: {why}.</source>
        <translation>Auftrag {order} wurde storniert: {why}.</translation>
    </message>
    <message>
        <source>Order {order} was voided.</source>
        <translation>Auftrag {order} wurde storniert.</translation>
    </message>
    <message>
        <source>Do not pack it.</source>
        <translation>Nicht packen.</translation>
    </message>
    <message>
        <source>Order {order} has already been packed and shipped.</source>
        <translation>Auftrag {order} wurde bereits gepackt und versendet.</translation>
    </message>
    <message>
        <source>Order {order} is {status}: it can be packed once it is allocated.</source>
        <translation>Auftrag {order} ist {status}: Er kann gepackt werden, sobald ihm Bestand zugeteilt ist.</translation>
    </message>
    <message>
        <source>Parcel {n} is empty: scan items into it.</source>
        <translation>Paket {n} ist leer: Artikel hineinscannen.</translation>
    </message>
    <message>
        <source>Parcel {n} is empty: scan items into it first</source>
        <translation>Paket {n} ist leer: erst Artikel hineinscannen</translation>
    </message>
    <message>
        <source>Check the slip, or sync.</source>
        <translation>Lieferschein prüfen oder synchronisieren.</translation>
    </message>
    <message>
        <source>Undone: {sku} ×{units} ({packed} packed)</source>
        <translation>Rückgängig: {sku} ×{units} ({packed} gepackt)</translation>
    </message>
    <message>
        <source>Serial {serial} came back already; scan another unit.</source>
        <translation>Seriennummer {serial} ist schon zurückgekommen; ein anderes Stück scannen.</translation>
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
    <name>MoveOrderDialog</name>
    <message>
        <source>Move order %1 to another warehouse</source>
        <translation>Auftrag %1 in ein anderes Lager verschieben</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Lager</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>Auftrag:</translation>
    </message>
    <message>
        <source>Warehouse now:</source>
        <translation>Lager jetzt:</translation>
    </message>
    <message>
        <source>Why there:</source>
        <translation>Warum dort:</translation>
    </message>
    <message>
        <source>Move to:</source>
        <translation>Verschieben nach:</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>&amp;Verschieben</translation>
    </message>
    <message>
        <source>(none recorded)</source>
        <translation>(nichts vermerkt)</translation>
    </message>
    <message>
        <source>Some of this order is picked, or it is past picking: it cannot move.</source>
        <translation>Ein Teil dieses Auftrags ist kommissioniert oder er ist über die Kommissionierung hinaus: er kann nicht verschoben werden.</translation>
    </message>
</context>
<context>
    <name>NotAvailablePage</name>
    <message>
        <source>Not available yet in this version</source>
        <translation>In dieser Version noch nicht verfügbar</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Required: kept with the order, shown to whoever opens it</source>
        <translation>Pflichtfeld: wird beim Auftrag gespeichert und jedem angezeigt, der ihn öffnet</translation>
    </message>
</context>
<context>
    <name>OrderDetail</name>
    <message>
        <source>Lines</source>
        <translation>Positionen</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Bestellt</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>Zugeteilt</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Kommissioniert</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>Gepackt</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Versendet</translation>
    </message>
    <message>
        <source>Invoiced</source>
        <translation>Berechnet</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Retourniert</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>Stückpreis</translation>
    </message>
    <message>
        <source>Allocated by bin</source>
        <translation>Zuteilung nach Lagerplatz</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
    <message>
        <source>Shipment</source>
        <translation>Sendung</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Shipments</source>
        <translation>Sendungen</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Versender</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Teilweise</translation>
    </message>
    <message>
        <source>Invoices</source>
        <translation>Rechnungen</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Ausgestellt</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>Brutto</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Retouren</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Eröffnet</translation>
    </message>
    <message>
        <source>Credit notes</source>
        <translation>Gutschriften</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Lager</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>Why this one</source>
        <translation>Warum dieses</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Keine.</translation>
    </message>
    <message>
        <source>No lines.</source>
        <translation>Keine Positionen.</translation>
    </message>
    <message>
        <source>No parcels yet.</source>
        <translation>Noch keine Pakete.</translation>
    </message>
    <message>
        <source>No invoices.</source>
        <translation>Keine Rechnungen.</translation>
    </message>
    <message>
        <source>No returns.</source>
        <translation>Keine Retouren.</translation>
    </message>
    <message>
        <source>No warehouse.</source>
        <translation>Kein Lager.</translation>
    </message>
    <message>
        <source>Nothing allocated.</source>
        <translation>Nichts zugeteilt.</translation>
    </message>
    <message>
        <source>Not shipped.</source>
        <translation>Nicht versendet.</translation>
    </message>
    <message>
        <source>Nothing recorded.</source>
        <translation>Nichts aufgezeichnet.</translation>
    </message>
</context>
<context>
    <name>OrderDetailDialog</name>
    <message>
        <source>Order %1</source>
        <translation>Auftrag %1</translation>
    </message>
    <message>
        <source>Order detail</source>
        <translation>Auftragsdetails</translation>
    </message>
    <message>
        <source>Order %1  ·  %2</source>
        <translation>Auftrag %1  ·  %2</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Lieferadresse</translation>
    </message>
    <message>
        <source>Bill to</source>
        <translation>Rechnungsadresse</translation>
    </message>
    <message>
        <source>Channel and carrier</source>
        <translation>Kanal und Versender</translation>
    </message>
    <message>
        <source>On hold: %1</source>
        <translation>Gesperrt: %1</translation>
    </message>
    <message>
        <source>Voided: %1</source>
        <translation>Storniert: %1</translation>
    </message>
    <message>
        <source>Release hold…</source>
        <translation>Sperre aufheben…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>Stornieren…</translation>
    </message>
</context>
<context>
    <name>OrderStatus</name>
    <message>
        <source>Draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importiert</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Zurückgehalten</translation>
    </message>
    <message>
        <source>Finalized</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>Zugeteilt</translation>
    </message>
    <message>
        <source>Picking</source>
        <translation>In Kommissionierung</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Kommissioniert</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>Wird verpackt</translation>
    </message>
    <message>
        <source>Partly shipped</source>
        <translation>Teilweise versendet</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Versendet</translation>
    </message>
    <message>
        <source>Fulfilled</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Partly returned</source>
        <translation>Teilweise retourniert</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Retourniert</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Storniert</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Zurückgehalten</translation>
    </message>
    <message>
        <source>Finalized</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>Zugeteilt</translation>
    </message>
    <message>
        <source>Picking</source>
        <translation>In Kommissionierung</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>Wird verpackt</translation>
    </message>
    <message>
        <source>Partly shipped</source>
        <translation>Teilw. versendet</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Versendet</translation>
    </message>
    <message>
        <source>Fulfilled</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Storniert</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Retourniert</translation>
    </message>
    <message>
        <source>Short picks</source>
        <translation>Fehlmengen</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>Jedes Datum</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last 365 days</source>
        <translation>Letzte 365 Tage</translation>
    </message>
    <message>
        <source>Orders whose short picks wait for a choice (re-allocate, ship part, hold).</source>
        <translation>Aufträge, deren Fehlmengen auf eine Entscheidung warten (neu zuteilen, teilweise versenden, zurückhalten).</translation>
    </message>
    <message>
        <source>Find: order number, customer, email, SKU, SSCC or shipment</source>
        <translation>Suchen: Auftragsnummer, Kunde, E-Mail, Artikelnr., SSCC oder Sendung</translation>
    </message>
    <message>
        <source>Find orders</source>
        <translation>Aufträge suchen</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Alle Kanäle</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Versender</translation>
    </message>
    <message>
        <source>All carriers</source>
        <translation>Alle Versender</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>Bestellt</translation>
    </message>
    <message>
        <source>Open  Enter</source>
        <translation>Öffnen  Enter</translation>
    </message>
    <message>
        <source>Release…</source>
        <translation>Freigeben…</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>Stornieren…</translation>
    </message>
    <message>
        <source>Reload  Ctrl+R</source>
        <translation>Neu laden  Strg+R</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>%1 orders shown</source>
        <translation>%1 Aufträge angezeigt</translation>
    </message>
    <message>
        <source>1 order</source>
        <translation>1 Auftrag</translation>
    </message>
    <message>
        <source>%1 orders</source>
        <translation>%1 Aufträge</translation>
    </message>
    <message>
        <source>matching “%1”</source>
        <translation>passend zu „%1“</translation>
    </message>
    <message>
        <source>No orders on this station yet. They arrive from the central order store, or with `packbench import`.</source>
        <translation>Noch keine Aufträge an dieser Station. Sie kommen aus dem zentralen Auftragsspeicher oder mit `packbench import`.</translation>
    </message>
    <message>
        <source>No order matches. Clear the search or choose another segment.</source>
        <translation>Kein Auftrag passt. Suche leeren oder einen anderen Bereich wählen.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Release hold…</source>
        <translation>Sperre aufheben…</translation>
    </message>
    <message>
        <source>Release order %1</source>
        <translation>Auftrag %1 freigeben</translation>
    </message>
    <message>
        <source>The hold is lifted and stock is allocated to the order from the bins. Say why it may go ahead.</source>
        <translation>Die Sperre wird aufgehoben und dem Auftrag wird Bestand aus den Lagerplätzen zugeteilt. Begründen Sie, warum er weiterlaufen darf.</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <source>Order %1 released: %2, %3 units allocated</source>
        <translation>Auftrag %1 freigegeben: %2, %3 Stück zugeteilt</translation>
    </message>
    <message>
        <source>; %1 units wait for stock</source>
        <translation>; %1 Stück warten auf Bestand</translation>
    </message>
    <message>
        <source>Void order %1</source>
        <translation>Auftrag %1 stornieren</translation>
    </message>
    <message>
        <source>A void order is closed for good: it cannot be picked, packed or invoiced, and the stock it holds goes back to its bins. The central store refuses the void if another station shipped the order meanwhile. Say why.</source>
        <translation>Ein stornierter Auftrag ist endgültig geschlossen: Er kann weder kommissioniert, gepackt noch berechnet werden, und sein Bestand geht an die Lagerplätze zurück. Der zentrale Speicher lehnt die Stornierung ab, wenn eine andere Station den Auftrag inzwischen versendet hat. Begründen Sie die Stornierung.</translation>
    </message>
    <message>
        <source>Void order</source>
        <translation>Auftrag stornieren</translation>
    </message>
    <message>
        <source>Order %1 voided; its stock went back to the bins.</source>
        <translation>Auftrag %1 storniert; sein Bestand ist an die Lagerplätze zurückgegangen.</translation>
    </message>
</context>
<context>
    <name>OrdersTableModel</name>
    <message>
        <source>Fulfilled elsewhere</source>
        <translation>Anderswo erledigt</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>Eingang</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Versender</translation>
    </message>
    <message>
        <source>WH</source>
        <translation>Lager</translation>
    </message>
</context>
<context>
    <name>PackController</name>
    <message>
        <source>NEXT  scan the serial number of %s</source>
        <translation>WEITER  Seriennummer von %s scannen</translation>
    </message>
    <message>
        <source>Scan the serial number of %s first (or CANCEL).</source>
        <translation>Erst die Seriennummer von %s scannen (oder CANCEL).</translation>
    </message>
    <message>
        <source>Confirm the weight first: scan OK to accept it or CANCEL to weigh again.</source>
        <translation>Erst das Gewicht bestätigen: OK scannen zum Übernehmen oder CANCEL zum erneuten Wiegen.</translation>
    </message>
    <message>
        <source>Type why only part ships and press Enter, or scan CANCEL.</source>
        <translation>Eintippen, warum nur ein Teil versendet wird, und Enter drücken, oder CANCEL scannen.</translation>
    </message>
    <message>
        <source>Type why only part ships, then press Enter (CANCEL to go back).</source>
        <translation>Eintippen, warum nur ein Teil versendet wird, dann Enter drücken (CANCEL zurück).</translation>
    </message>
    <message>
        <source>OK ships what is packed with this weight</source>
        <translation>OK versendet das Gepackte mit diesem Gewicht</translation>
    </message>
    <message>
        <source>%s: a pick list holds several orders. Scan a tote, the order number or its packing slip.</source>
        <translation>%s: Eine Pickliste enthält mehrere Aufträge. Kiste, Auftragsnummer oder Lieferschein scannen.</translation>
    </message>
    <message>
        <source>%s: that is a parcel label. Scan an item, or the order&apos;s packing slip to open an order.</source>
        <translation>%s: Das ist ein Paketetikett. Einen Artikel scannen oder den Lieferschein, um einen Auftrag zu öffnen.</translation>
    </message>
    <message>
        <source>%s: not something to pack. Scan an order, an item or a command.</source>
        <translation>%s: Nichts zum Packen. Auftrag, Artikel oder Befehl scannen.</translation>
    </message>
    <message>
        <source>Order %s reopened as it was left: %s already packed</source>
        <translation>Auftrag %s wieder geöffnet, wie er verlassen wurde: %s schon gepackt</translation>
    </message>
    <message>
        <source>Order %s is already open</source>
        <translation>Auftrag %s ist schon offen</translation>
    </message>
    <message>
        <source> (central store offline: not claimed)</source>
        <translation> (zentraler Speicher offline: nicht reserviert)</translation>
    </message>
    <message>
        <source>, %d already packed</source>
        <translation>, %d schon gepackt</translation>
    </message>
    <message>
        <source>Order %s open</source>
        <translation>Auftrag %s offen</translation>
    </message>
    <message>
        <source>No order is open.</source>
        <translation>Kein Auftrag offen.</translation>
    </message>
    <message>
        <source>Order %s put down</source>
        <translation>Auftrag %s abgelegt</translation>
    </message>
    <message>
        <source>Order %s put down; scan it again to carry on.</source>
        <translation>Auftrag %s abgelegt; zum Weitermachen erneut scannen.</translation>
    </message>
    <message>
        <source>%s: no order is open. Scan the order number or its packing slip first.</source>
        <translation>%s: Kein Auftrag offen. Erst Auftragsnummer oder Lieferschein scannen.</translation>
    </message>
    <message>
        <source>%s %s: now scan its serial number</source>
        <translation>%s %s: jetzt die Seriennummer scannen</translation>
    </message>
    <message>
        <source>That is a product barcode, not the serial of %s: scan the serial number (S/N) barcode.</source>
        <translation>Das ist ein Artikel-Barcode, nicht die Seriennummer von %s: den Seriennummer-Barcode (S/N) scannen.</translation>
    </message>
    <message>
        <source>Quantity %d: the next item counts %d times</source>
        <translation>Menge %d: Der nächste Artikel zählt %d-mal</translation>
    </message>
    <message>
        <source>%s: no order is open. Scan an order first.</source>
        <translation>%s: Kein Auftrag offen. Erst einen Auftrag scannen.</translation>
    </message>
    <message>
        <source>%s, tare %s</source>
        <translation>%s, Tara %s</translation>
    </message>
    <message>
        <source>Everything is packed: scan CLOSE to close the parcel and ship the order.</source>
        <translation>Alles gepackt: CLOSE scannen, um das Paket zu schließen und den Auftrag zu versenden.</translation>
    </message>
    <message>
        <source>Parcel %d reopened (recorded)</source>
        <translation>Paket %d wieder geöffnet (protokolliert)</translation>
    </message>
    <message>
        <source>OK: nothing is waiting for a confirmation.</source>
        <translation>OK: Nichts wartet auf eine Bestätigung.</translation>
    </message>
    <message>
        <source>%s does nothing at the packing bench.</source>
        <translation>%s bewirkt am Packtisch nichts.</translation>
    </message>
    <message>
        <source>Quantity cancelled</source>
        <translation>Menge abgebrochen</translation>
    </message>
    <message>
        <source>Nothing to cancel.</source>
        <translation>Nichts abzubrechen.</translation>
    </message>
    <message>
        <source>Weigh the parcel again, then press Enter to ship part (CANCEL to stop).</source>
        <translation>Paket erneut wiegen, dann Enter für die Teillieferung (CANCEL zum Abbrechen).</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Parcel %d closed (SSCC %s); parcel %d is open</source>
        <translation>Paket %d geschlossen (SSCC %s); Paket %d ist offen</translation>
    </message>
    <message>
        <source>Weight %s: confirm it (OK) or weigh again</source>
        <translation>Gewicht %s: bestätigen (OK) oder erneut wiegen</translation>
    </message>
    <message>
        <source>Everything is packed: scan CLOSE to ship the whole order.</source>
        <translation>Alles gepackt: CLOSE scannen, um den ganzen Auftrag zu versenden.</translation>
    </message>
    <message>
        <source>Ship partial: type the reason</source>
        <translation>Teillieferung: Grund eintippen</translation>
    </message>
    <message>
        <source>Parcel %d: %s typed</source>
        <translation>Paket %d: %s eingetippt</translation>
    </message>
    <message>
        <source>Nothing to reprint: no shipment was made at this bench since you signed in.</source>
        <translation>Nichts nachzudrucken: Seit Ihrer Anmeldung wurde an diesem Packtisch keine Sendung erstellt.</translation>
    </message>
    <message>
        <source>Reprinting 1 label of %s (recorded)</source>
        <translation>1 Etikett von %s wird nachgedruckt (protokolliert)</translation>
    </message>
    <message>
        <source>Reprinting %d labels of %s (recorded)</source>
        <translation>%d Etiketten von %s werden nachgedruckt (protokolliert)</translation>
    </message>
    <message>
        <source>1 item</source>
        <translation>1 Artikel</translation>
    </message>
    <message>
        <source>%d items</source>
        <translation>%d Artikel</translation>
    </message>
    <message>
        <source>1 parcel</source>
        <translation>1 Paket</translation>
    </message>
    <message>
        <source>%d parcels</source>
        <translation>%d Pakete</translation>
    </message>
    <message>
        <source>Order %s part-shipped (backorder stays open): %s, %s; labels and slip printing</source>
        <translation>Auftrag %s teilweise versendet (Rückstand bleibt offen): %s, %s; Etiketten und Lieferschein werden gedruckt</translation>
    </message>
    <message>
        <source>Order %s shipped: %s, %s; labels and slip printing</source>
        <translation>Auftrag %s versendet: %s, %s; Etiketten und Lieferschein werden gedruckt</translation>
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
        <source>1 line</source>
        <translation>1 Position</translation>
    </message>
    <message>
        <source>%d lines</source>
        <translation>%d Positionen</translation>
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
        <source>%s in this parcel</source>
        <translation>%s in diesem Paket</translation>
    </message>
    <message>
        <source>Parcel %d: closed, %s, %s, SSCC %s</source>
        <translation>Paket %d: geschlossen, %s, %s, SSCC %s</translation>
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
        <source>scale %s</source>
        <translation>Waage %s</translation>
    </message>
    <message>
        <source>typed</source>
        <translation>eingegeben</translation>
    </message>
    <message>
        <source>no scale: F6 to type the weight</source>
        <translation>keine Waage: F6, um das Gewicht einzugeben</translation>
    </message>
    <message>
        <source>Not known to have printed: %s. Check the printer; reprint a missing one with: packbench print label SHIPMENT-OR-SSCC --reprint</source>
        <translation>Druck nicht bestätigt: %s. Drucker prüfen; ein fehlendes Etikett nachdrucken mit: packbench print label SHIPMENT-OR-SSCC --reprint</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>wird gesendet…</translation>
    </message>
    <message>
        <source>1 document waiting to print: %s</source>
        <translation>1 Dokument wartet auf den Druck: %s</translation>
    </message>
    <message>
        <source>%d documents waiting to print: %%s</source>
        <translation>%d Dokumente warten auf den Druck: %%s</translation>
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
    <name>PeopleTab</name>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Selected user</source>
        <translation>Ausgewählter Benutzer</translation>
    </message>
    <message>
        <source>&amp;Unlock selected user</source>
        <translation>Ausgewählten Benutzer &amp;entsperren</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>Role of the selected user</source>
        <translation>Rolle des ausgewählten Benutzers</translation>
    </message>
    <message>
        <source>Change &amp;role</source>
        <translation>&amp;Rolle ändern</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Rolle:</translation>
    </message>
    <message>
        <source>scan or type the badge</source>
        <translation>Ausweis scannen oder eintippen</translation>
    </message>
    <message>
        <source>New badge for the selected user</source>
        <translation>Neuer Ausweis für den ausgewählten Benutzer</translation>
    </message>
    <message>
        <source>Register &amp;badge</source>
        <translation>Ausweis &amp;registrieren</translation>
    </message>
    <message>
        <source>Badge:</source>
        <translation>Ausweis:</translation>
    </message>
    <message>
        <source>New PIN for the selected user</source>
        <translation>Neue PIN für den ausgewählten Benutzer</translation>
    </message>
    <message>
        <source>&amp;Set new PIN</source>
        <translation>Neue PIN &amp;setzen</translation>
    </message>
    <message>
        <source>&amp;New PIN:</source>
        <translation>&amp;Neue PIN:</translation>
    </message>
    <message>
        <source>Own rights, beyond the role&apos;s</source>
        <translation>Eigene Rechte über die der Rolle hinaus</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>Benutzer anlegen</translation>
    </message>
    <message>
        <source>Name of the new user</source>
        <translation>Name des neuen Benutzers</translation>
    </message>
    <message>
        <source>{low} to {high} digits</source>
        <translation>{low} bis {high} Ziffern</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>&amp;Add user</source>
        <translation>Benutzer &amp;anlegen</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>PIN:</source>
        <translation>PIN:</translation>
    </message>
    <message>
        <source>{name} (badge registered)</source>
        <translation>{name} (Ausweis registriert)</translation>
    </message>
    <message>
        <source>{name} (no badge)</source>
        <translation>{name} (kein Ausweis)</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>&amp;Reaktivieren</translation>
    </message>
    <message>
        <source>not for this user</source>
        <translation>nicht für diesen Benutzer</translation>
    </message>
    <message>
        <source>{name} may do more than you: only someone with all their rights sets their PIN.</source>
        <translation>{name} darf mehr als Sie: Nur wer alle diese Rechte hat, setzt die PIN.</translation>
    </message>
    <message>
        <source>{doing} (from the role)</source>
        <translation>{doing} (aus der Rolle)</translation>
    </message>
</context>
<context>
    <name>Pick</name>
    <message>
        <source>Pick like a picker does when the floor needs a hand: scan a pick list (or OK for the next one), then each bin, item and tote; report a short pick on the spot.</source>
        <translation>Kommissionieren wie ein Kommissionierer, wenn im Lager eine Hand fehlt: Pickliste scannen (oder OK für die nächste), dann jeden Lagerplatz, Artikel und jede Kiste; eine Fehlmenge sofort melden.</translation>
    </message>
    <message>
        <source>Scan a pick list (or OK for the next one), then at each bin scan the bin, the item and the tote; report a short pick on the spot with its reason.</source>
        <translation>Pickliste scannen (oder OK für die nächste), dann an jedem Lagerplatz den Platz, den Artikel und die Kiste scannen; eine Fehlmenge sofort mit Grund melden.</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Gepickt</translation>
    </message>
    <message>
        <source>  (%d short)</source>
        <translation>  (Fehlmenge %d)</translation>
    </message>
</context>
<context>
    <name>PickController</name>
    <message>
        <source>%s: no pick list is open. Scan a pick list, or OK for the next one.</source>
        <translation>%s: Keine Pickliste offen. Pickliste scannen oder OK für die nächste.</translation>
    </message>
    <message>
        <source>%s: not something to pick. Scan a bin, an item or a tote.</source>
        <translation>%s: Nichts zum Kommissionieren. Lagerplatz, Artikel oder Kiste scannen.</translation>
    </message>
    <message>
        <source>Pick list %s is open: scan it again to put it down first.</source>
        <translation>Pickliste %s ist offen: Erst erneut scannen, um sie abzulegen.</translation>
    </message>
    <message>
        <source>No pick list is being picked.</source>
        <translation>Es wird keine Pickliste kommissioniert.</translation>
    </message>
    <message>
        <source>Picking %s. </source>
        <translation>Kommissioniere %s. </translation>
    </message>
    <message>
        <source>Quantity %d: the next item counts %d times</source>
        <translation>Menge %d: Der nächste Artikel zählt %d-mal</translation>
    </message>
    <message>
        <source>OK: nothing is waiting for a confirmation. %s</source>
        <translation>OK: Nichts wartet auf eine Bestätigung. %s</translation>
    </message>
    <message>
        <source>No pick list waits to be picked at this station.</source>
        <translation>An dieser Station wartet keine Pickliste.</translation>
    </message>
    <message>
        <source>%s does nothing at the pick list.</source>
        <translation>%s bewirkt an der Pickliste nichts.</translation>
    </message>
    <message>
        <source>Short pick at %s</source>
        <translation>Fehlmenge an %s</translation>
    </message>
    <message>
        <source>SHORT  %d of %d × %s found. Scan the reason: %s (F6-F8); QTY:n if you found n; CANCEL to go back.</source>
        <translation>FEHLMENGE  %d von %d × %s gefunden. Grund scannen: %s (F6-F8); QTY:n, wenn n gefunden; CANCEL zurück.</translation>
    </message>
    <message>
        <source>Say why %s is short first: scan the reason (%s), or CANCEL.</source>
        <translation>Erst den Grund der Fehlmenge bei %s angeben: Grund scannen (%s) oder CANCEL.</translation>
    </message>
    <message>
        <source>%d found</source>
        <translation>%d gefunden</translation>
    </message>
    <message>
        <source>No pick list is being picked: scan one first.</source>
        <translation>Es wird keine Pickliste kommissioniert: erst eine scannen.</translation>
    </message>
    <message>
        <source>A short pick is said at the bin: go to %s and scan its label first.</source>
        <translation>Eine Fehlmenge wird am Lagerplatz gemeldet: zu %s gehen und erst dessen Etikett scannen.</translation>
    </message>
    <message>
        <source>Short pick cancelled</source>
        <translation>Fehlmenge abgebrochen</translation>
    </message>
    <message>
        <source>Quantity cancelled</source>
        <translation>Menge abgebrochen</translation>
    </message>
    <message>
        <source>Nothing to cancel.</source>
        <translation>Nichts abzubrechen.</translation>
    </message>
    <message>
        <source>NEXT  Scan a pick list, or OK for the next one</source>
        <translation>WEITER  Pickliste scannen oder OK für die nächste</translation>
    </message>
    <message>
        <source>NEXT  Take the totes to packing; scan the next list, or OK</source>
        <translation>WEITER  Kisten zum Packtisch bringen; nächste Liste scannen oder OK</translation>
    </message>
    <message>
        <source>NEXT  </source>
        <translation>WEITER  </translation>
    </message>
    <message>
        <source>List done.</source>
        <translation>Liste fertig.</translation>
    </message>
    <message>
        <source>Go to %s and scan its label</source>
        <translation>Zu %s gehen und das Etikett scannen</translation>
    </message>
    <message>
        <source>Take %d × %s from %s and scan each</source>
        <translation>%d × %s aus %s nehmen und jeden scannen</translation>
    </message>
    <message>
        <source>a new tote</source>
        <translation>eine neue Kiste</translation>
    </message>
    <message>
        <source>Put %d in slot %d (%s) for order %s: scan the tote</source>
        <translation>%d in Fach %d (%s) für Auftrag %s legen: Kiste scannen</translation>
    </message>
    <message>
        <source>Pick list %s is done</source>
        <translation>Pickliste %s ist fertig</translation>
    </message>
</context>
<context>
    <name>PickKind</name>
    <message>
        <source>single</source>
        <translation>Einzel</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>Sammel</translation>
    </message>
    <message>
        <source>wave</source>
        <translation>Welle</translation>
    </message>
    <message>
        <source>follow-up</source>
        <translation>Nachpick</translation>
    </message>
</context>
<context>
    <name>PickPage</name>
    <message>
        <source>BIN</source>
        <translation>LAGERPLATZ</translation>
    </message>
    <message>
        <source>Next bin</source>
        <translation>Nächster Lagerplatz</translation>
    </message>
    <message>
        <source>What to take</source>
        <translation>Was zu nehmen ist</translation>
    </message>
    <message>
        <source>Pick list lines</source>
        <translation>Positionen der Pickliste</translation>
    </message>
    <message>
        <source>Next list</source>
        <translation>Neue Liste</translation>
    </message>
    <message>
        <source>Short pick…</source>
        <translation>Fehlmenge…</translation>
    </message>
    <message>
        <source>Bin empty</source>
        <translation>Platz leer</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Defekt</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Fehlt</translation>
    </message>
    <message>
        <source>Pause list</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbruch</translation>
    </message>
    <message>
        <source>No pick list open</source>
        <translation>Keine Pickliste offen</translation>
    </message>
    <message>
        <source>PICK LIST %s  ·  %s  ·  %s</source>
        <translation>PICKLISTE %s  ·  %s  ·  %s</translation>
    </message>
    <message>
        <source>1 order</source>
        <translation>1 Auftrag</translation>
    </message>
    <message>
        <source>%d orders</source>
        <translation>%d Aufträge</translation>
    </message>
    <message>
        <source>%d of %d units picked, %d short</source>
        <translation>%d von %d Stück gepickt, %d fehlen</translation>
    </message>
    <message>
        <source>PICK LIST %s</source>
        <translation>PICKLISTE %s</translation>
    </message>
    <message>
        <source>DONE ✔</source>
        <translation>FERTIG ✔</translation>
    </message>
    <message>
        <source>Take the totes to packing:</source>
        <translation>Kisten zum Packtisch bringen:</translation>
    </message>
    <message>
        <source>%s → order %s</source>
        <translation>%s → Auftrag %s</translation>
    </message>
    <message>
        <source>GO TO BIN</source>
        <translation>ZUM LAGERPLATZ</translation>
    </message>
    <message>
        <source>AT BIN</source>
        <translation>AM LAGERPLATZ</translation>
    </message>
    <message>
        <source>Take %d × %s</source>
        <translation>%d × %s</translation>
    </message>
    <message>
        <source>a new tote</source>
        <translation>eine neue Kiste</translation>
    </message>
    <message>
        <source>%d in hand → slot %d, %s (order %s)</source>
        <translation>%d in der Hand → Fach %d, %s (Auftrag %s)</translation>
    </message>
    <message>
        <source>→ slot %d (order %s): %d</source>
        <translation>→ Fach %d (Auftr. %s): %d</translation>
    </message>
    <message>
        <source>No pick list waits at this station.</source>
        <translation>An dieser Station wartet keine Pickliste.</translation>
    </message>
    <message>
        <source>Next list: %s (%s, %d orders, %d units). Scan OK to take it.</source>
        <translation>Nächste Liste: %s (%s, %d Aufträge, %d Stück). OK scannen, um sie zu übernehmen.</translation>
    </message>
</context>
<context>
    <name>PickState</name>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>picking</source>
        <translation>in Kommissionierung</translation>
    </message>
</context>
<context>
    <name>RejectedModel</name>
    <message>
        <source>Answered</source>
        <translation>Beantwortet</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Why the central store refused it</source>
        <translation>Warum der zentrale Speicher ihn ablehnte</translation>
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
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>By reason</source>
        <translation>Nach Grund</translation>
    </message>
    <message>
        <source>Returns by reason</source>
        <translation>Retouren nach Grund</translation>
    </message>
    <message>
        <source>By product</source>
        <translation>Nach Artikel</translation>
    </message>
    <message>
        <source>Returns by product</source>
        <translation>Retouren nach Artikel</translation>
    </message>
    <message>
        <source>By disposition</source>
        <translation>Nach Verbleib</translation>
    </message>
    <message>
        <source>Returns by disposition</source>
        <translation>Retouren nach Verbleib</translation>
    </message>
    <message>
        <source>Reading returns from %s to %s…</source>
        <translation>Retouren von %s bis %s werden gelesen…</translation>
    </message>
    <message>
        <source>Show the report first (Enter), then save it.</source>
        <translation>Erst den Bericht anzeigen (Enter), dann speichern.</translation>
    </message>
    <message>
        <source>Saved %d rows to %s</source>
        <translation>%d Zeilen in %s gespeichert</translation>
    </message>
</context>
<context>
    <name>ReportsController</name>
    <message>
        <source>Show a report first, then export it.</source>
        <translation>Erst einen Bericht anzeigen, dann exportieren.</translation>
    </message>
    <message>
        <source>{path} could not be written ({why}): choose another place.</source>
        <translation>{path} konnte nicht geschrieben werden ({why}): einen anderen Ort wählen.</translation>
    </message>
    <message>
        <source>Wrote {n} rows to {path}.</source>
        <translation>{n} Zeilen nach {path} geschrieben.</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Packed per packer per hour</source>
        <translation>Gepackt je Packer und Stunde</translation>
    </message>
    <message>
        <source>Scan error rate per packer</source>
        <translation>Scanfehlerquote je Packer</translation>
    </message>
    <message>
        <source>Short picks</source>
        <translation>Fehlmengen</translation>
    </message>
    <message>
        <source>Parcels per carrier</source>
        <translation>Pakete je Versanddienstleister</translation>
    </message>
    <message>
        <source>Returns by reason</source>
        <translation>Retouren nach Grund</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Anzeigen</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>&amp;Report:</source>
        <translation>&amp;Bericht:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <source>Report rows</source>
        <translation>Berichtszeilen</translation>
    </message>
    <message>
        <source>Choose a report and a period, then Show.</source>
        <translation>Bericht und Zeitraum wählen, dann Anzeigen.</translation>
    </message>
    <message>
        <source>Export the report as CSV</source>
        <translation>Bericht als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>{title}, {start} to {end}: {n} rows, {scope}</source>
        <translation>{title}, {start} bis {end}: {n} Zeilen, {scope}</translation>
    </message>
    <message>
        <source>{title}: nothing in this period</source>
        <translation>{title}: nichts in diesem Zeitraum</translation>
    </message>
</context>
<context>
    <name>ReturnReason</name>
    <message>
        <source>Damaged</source>
        <translation>Beschädigt</translation>
    </message>
    <message>
        <source>Wrong item sent</source>
        <translation>Falscher Artikel geliefert</translation>
    </message>
    <message>
        <source>Not as described</source>
        <translation>Nicht wie beschrieben</translation>
    </message>
    <message>
        <source>No longer wanted</source>
        <translation>Nicht mehr gewünscht</translation>
    </message>
    <message>
        <source>Arrived late</source>
        <translation>Zu spät angekommen</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
</context>
<context>
    <name>ReturnsController</name>
    <message>
        <source>%s does nothing at the returns desk: scan an item, RESTOCK, QUARANTINE, SCRAP, OK or CANCEL.</source>
        <translation>%s bewirkt am Retourenplatz nichts: Artikel, RESTOCK, QUARANTINE, SCRAP, OK oder CANCEL scannen.</translation>
    </message>
    <message>
        <source>Not confirmed yet: scan more items, or OK to see the refund again</source>
        <translation>Noch nicht bestätigt: weitere Artikel scannen oder OK, um die Erstattung erneut zu sehen</translation>
    </message>
    <message>
        <source>Unexpected item put aside, not taken in</source>
        <translation>Unerwarteter Artikel beiseitegelegt, nicht angenommen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Nothing opened; scan what came back</source>
        <translation>Nichts geöffnet; scannen, was zurückkam</translation>
    </message>
    <message>
        <source>Nothing to cancel</source>
        <translation>Nichts abzubrechen</translation>
    </message>
    <message>
        <source>1 unit</source>
        <translation>1 Stück</translation>
    </message>
    <message>
        <source>%d units</source>
        <translation>%d Stück</translation>
    </message>
    <message>
        <source>NEXT  scan each item that came back</source>
        <translation>WEITER  jeden zurückgekommenen Artikel scannen</translation>
    </message>
    <message>
        <source>NEXT  the next item · a disposition or a bin for the last one · OK: refund</source>
        <translation>WEITER  nächster Artikel · Verwendung oder Lagerplatz für den letzten · OK: Erstattung</translation>
    </message>
    <message>
        <source>NEXT  scan each item of order %s that came back</source>
        <translation>WEITER  jeden zurückgekommenen Artikel von Auftrag %s scannen</translation>
    </message>
    <message>
        <source>NEXT  scan the order number or packing slip, or pick one (↑↓ Enter)</source>
        <translation>WEITER  Auftragsnummer oder Lieferschein scannen oder einen wählen (↑↓ Enter)</translation>
    </message>
    <message>
        <source>No shipped order matches %s. Scan the parcel&apos;s label, the order number, the RA or an item.</source>
        <translation>Kein versendeter Auftrag passt zu %s. Paketetikett, Auftragsnummer, Retourennummer oder einen Artikel scannen.</translation>
    </message>
    <message>
        <source>%s: %d recent orders shipped it; scan or pick the one it came from</source>
        <translation>%s: %d neuere Aufträge haben ihn versendet; den Herkunftsauftrag scannen oder wählen</translation>
    </message>
    <message>
        <source>%s (order %s) resumed: %s already taken back</source>
        <translation>%s (Auftrag %s) fortgesetzt: %s schon zurückgenommen</translation>
    </message>
    <message>
        <source>Order %s (%s), shipped %s: %d returnable</source>
        <translation>Auftrag %s (%s), versendet %s: %d rückgabefähig</translation>
    </message>
    <message>
        <source>Asking the central store for %s…</source>
        <translation>%s wird beim zentralen Speicher angefragt…</translation>
    </message>
    <message>
        <source>Asking the central store for %s: scan that again in a moment.</source>
        <translation>%s wird beim zentralen Speicher angefragt: gleich noch einmal scannen.</translation>
    </message>
    <message>
        <source>%s is not at this station: asking the central store…</source>
        <translation>%s ist nicht an dieser Station: Anfrage beim zentralen Speicher…</translation>
    </message>
    <message>
        <source>No return is waiting to be finished.</source>
        <translation>Keine Retoure wartet auf Abschluss.</translation>
    </message>
    <message>
        <source>%s: now scan its serial number</source>
        <translation>%s: jetzt die Seriennummer scannen</translation>
    </message>
    <message>
        <source>Opening a return for order %s…</source>
        <translation>Retoure für Auftrag %s wird geöffnet…</translation>
    </message>
    <message>
        <source>Opening the return of order %s: scan that again in a moment.</source>
        <translation>Retoure von Auftrag %s wird geöffnet: gleich noch einmal scannen.</translation>
    </message>
    <message>
        <source>Order %s: opening its return…</source>
        <translation>Auftrag %s: Retoure wird geöffnet…</translation>
    </message>
    <message>
        <source>%s opened late, accepted by %s: %s</source>
        <translation>%s verspätet geöffnet, angenommen von %s: %s</translation>
    </message>
    <message>
        <source>Why this late return is accepted, e.g. &apos;courier delay&apos;</source>
        <translation>Warum diese verspätete Retoure angenommen wird, z. B. „Verzögerung beim Kurier“</translation>
    </message>
    <message>
        <source>Order %s is outside the return window</source>
        <translation>Auftrag %s liegt außerhalb der Rückgabefrist</translation>
    </message>
    <message>
        <source>Not opened.</source>
        <translation>Nicht geöffnet.</translation>
    </message>
    <message>
        <source>No late return is waiting for a reason.</source>
        <translation>Keine verspätete Retoure wartet auf einen Grund.</translation>
    </message>
    <message>
        <source>Type why this late return is accepted, then press Enter.</source>
        <translation>Eintippen, warum diese verspätete Retoure angenommen wird, dann Enter drücken.</translation>
    </message>
    <message>
        <source> serial %s</source>
        <translation> Seriennummer %s</translation>
    </message>
    <message>
        <source>: %d of %d back</source>
        <translation>: %d von %d zurück</translation>
    </message>
    <message>
        <source> (unexpected)</source>
        <translation> (unerwartet)</translation>
    </message>
    <message>
        <source>no reason</source>
        <translation>kein Grund</translation>
    </message>
    <message>
        <source> to %s</source>
        <translation> nach %s</translation>
    </message>
    <message>
        <source>The other reason, e.g. &apos;gift, duplicate&apos;</source>
        <translation>Der andere Grund, z. B. „Geschenk, doppelt“</translation>
    </message>
    <message>
        <source>%s: other reason</source>
        <translation>%s: anderer Grund</translation>
    </message>
    <message>
        <source>%s taken out of %s</source>
        <translation>%s aus %s herausgenommen</translation>
    </message>
    <message>
        <source>Refund %s: OK confirms and prints · CANCEL goes back</source>
        <translation>Erstattung %s: OK bestätigt und druckt · CANCEL geht zurück</translation>
    </message>
    <message>
        <source>OK confirms the return, CANCEL goes back to scanning.</source>
        <translation>OK bestätigt die Retoure, CANCEL geht zurück zum Scannen.</translation>
    </message>
    <message>
        <source>Refund %s for %s</source>
        <translation>Erstattung %s für %s</translation>
    </message>
    <message>
        <source>%s: confirming and printing…</source>
        <translation>%s: wird bestätigt und gedruckt…</translation>
    </message>
    <message>
        <source>%s confirming. Scan the next parcel that came back.</source>
        <translation>%s wird bestätigt. Das nächste zurückgekommene Paket scannen.</translation>
    </message>
    <message>
        <source>%s not confirmed: %s</source>
        <translation>%s nicht bestätigt: %s</translation>
    </message>
    <message>
        <source>%s confirmed: refund %s; %s; %s</source>
        <translation>%s bestätigt: Erstattung %s; %s; %s</translation>
    </message>
    <message>
        <source>%s confirmed. Scan the next parcel that came back.</source>
        <translation>%s bestätigt. Das nächste zurückgekommene Paket scannen.</translation>
    </message>
    <message>
        <source>No return is open.</source>
        <translation>Keine Retoure offen.</translation>
    </message>
    <message>
        <source>%s saved</source>
        <translation>%s gespeichert</translation>
    </message>
    <message>
        <source>%s saved; scan it (or its order) to carry on.</source>
        <translation>%s gespeichert; zum Weitermachen sie (oder ihren Auftrag) scannen.</translation>
    </message>
    <message>
        <source>No return is open: scan what came back first.</source>
        <translation>Keine Retoure offen: erst scannen, was zurückkam.</translation>
    </message>
    <message>
        <source>Nothing was scanned into %s yet: scan an item first.</source>
        <translation>In %s wurde noch nichts gescannt: erst einen Artikel scannen.</translation>
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
    <message>
        <source>%d orders shipped it: scan or pick one</source>
        <translation>%d Aufträge haben ihn versendet: einen scannen oder wählen</translation>
    </message>
    <message>
        <source>%s  ·  ORDER %s  ·  %s back</source>
        <translation>%s  ·  AUFTRAG %s  ·  %s zurück</translation>
    </message>
    <message>
        <source>  ·  accepted late by %s</source>
        <translation>  ·  verspätet angenommen von %s</translation>
    </message>
    <message>
        <source>ORDER %s  ·  no return opened yet: scan an item</source>
        <translation>AUFTRAG %s  ·  noch keine Retoure geöffnet: einen Artikel scannen</translation>
    </message>
    <message>
        <source>Refund %s</source>
        <translation>Erstattung %s</translation>
    </message>
    <message>
        <source>No return open</source>
        <translation>Keine Retoure offen</translation>
    </message>
    <message>
        <source>Returns report: by reason, product and disposition</source>
        <translation>Retourenbericht: nach Grund, Artikel und Verwendung</translation>
    </message>
</context>
<context>
    <name>Right</name>
    <message>
        <source>pick orders</source>
        <translation>Aufträge kommissionieren</translation>
    </message>
    <message>
        <source>build pick lists and re-allocate short picks</source>
        <translation>Picklisten bilden und Fehlmengen neu zuteilen</translation>
    </message>
    <message>
        <source>pack orders</source>
        <translation>Aufträge packen</translation>
    </message>
    <message>
        <source>ship part of an order</source>
        <translation>Auftrag teilweise versenden</translation>
    </message>
    <message>
        <source>receive returns</source>
        <translation>Retouren annehmen</translation>
    </message>
    <message>
        <source>accept a return after its return window</source>
        <translation>Retoure nach Ablauf der Frist annehmen</translation>
    </message>
    <message>
        <source>look at orders</source>
        <translation>Aufträge ansehen</translation>
    </message>
    <message>
        <source>change orders</source>
        <translation>Aufträge ändern</translation>
    </message>
    <message>
        <source>hold or release orders</source>
        <translation>Aufträge sperren oder freigeben</translation>
    </message>
    <message>
        <source>void orders</source>
        <translation>Aufträge stornieren</translation>
    </message>
    <message>
        <source>move an order to another warehouse</source>
        <translation>Auftrag in ein anderes Lager verschieben</translation>
    </message>
    <message>
        <source>issue invoices</source>
        <translation>Rechnungen ausstellen</translation>
    </message>
    <message>
        <source>resolve sync problems</source>
        <translation>Abgleichprobleme lösen</translation>
    </message>
    <message>
        <source>set up devices</source>
        <translation>Geräte einrichten</translation>
    </message>
    <message>
        <source>change this station&apos;s settings</source>
        <translation>Einstellungen der Station ändern</translation>
    </message>
    <message>
        <source>add users, change their roles or deactivate them</source>
        <translation>Benutzer anlegen, Rollen ändern, deaktivieren</translation>
    </message>
    <message>
        <source>unlock users</source>
        <translation>Benutzer entsperren</translation>
    </message>
    <message>
        <source>set a new PIN for a user</source>
        <translation>Neue PIN für einen Benutzer setzen</translation>
    </message>
    <message>
        <source>reprint labels of another packer&apos;s shipment</source>
        <translation>Etiketten fremder Sendungen nachdrucken</translation>
    </message>
    <message>
        <source>force a pack: close a parcel whose weight is out of range</source>
        <translation>Packen erzwingen (Gewicht außerhalb der Toleranz)</translation>
    </message>
    <message>
        <source>grant or withdraw rights</source>
        <translation>Rechte erteilen oder entziehen</translation>
    </message>
    <message>
        <source>read the audit trail</source>
        <translation>Protokoll lesen</translation>
    </message>
    <message>
        <source>see the floor reports</source>
        <translation>Lagerberichte sehen</translation>
    </message>
    <message>
        <source>move stock between warehouses</source>
        <translation>Bestand zwischen Lagern umlagern</translation>
    </message>
</context>
<context>
    <name>RightsTab</name>
    <message>
        <source>Rights per role</source>
        <translation>Rechte je Rolle</translation>
    </message>
    <message>
        <source>Tick a box to let everyone of that role do it; it holds from their next sign-in. The admin role keeps every right. Rights of single actions: {names}.</source>
        <translation>Ein Häkchen erlaubt es allen dieser Rolle; es gilt ab ihrer nächsten Anmeldung. Die Admin-Rolle behält jedes Recht. Rechte einzelner Aktionen: {names}.</translation>
    </message>
    <message>
        <source>Only an admin changes what a role may do.</source>
        <translation>Nur ein Admin ändert, was eine Rolle darf.</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Picker</source>
        <translation>Kommissionierer</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>Packer</translation>
    </message>
    <message>
        <source>Returns clerk</source>
        <translation>Retourenbearbeiter</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Vorgesetzter</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
</context>
<context>
    <name>ScannersModel</name>
    <message>
        <source>Scanner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Last scan</source>
        <translation>Letzter Scan</translation>
    </message>
</context>
<context>
    <name>Setting</name>
    <message>
        <source>address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>auto invoice</source>
        <translation>Automatisch berechnen</translation>
    </message>
    <message>
        <source>baudrate</source>
        <translation>Baudrate</translation>
    </message>
    <message>
        <source>boxes</source>
        <translation>Kartons</translation>
    </message>
    <message>
        <source>company prefix</source>
        <translation>Basisnummer (GS1)</translation>
    </message>
    <message>
        <source>countries differ</source>
        <translation>Länder abweichend</translation>
    </message>
    <message>
        <source>country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>credit prefix</source>
        <translation>Präfix Gutschrift</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>Täglich</translation>
    </message>
    <message>
        <source>database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>default reason</source>
        <translation>Standardgrund</translation>
    </message>
    <message>
        <source>dispositions</source>
        <translation>Verwendungen</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>dpi</source>
        <translation>dpi</translation>
    </message>
    <message>
        <source>drops gs</source>
        <translation>Verliert GS</translation>
    </message>
    <message>
        <source>due days</source>
        <translation>Zahlungsziel (Tage)</translation>
    </message>
    <message>
        <source>extension digit</source>
        <translation>Erweiterungsziffer</translation>
    </message>
    <message>
        <source>first order over</source>
        <translation>Erster Auftrag über</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>font size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <source>gs substitute</source>
        <translation>GS-Ersatz</translation>
    </message>
    <message>
        <source>id</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>idle timeout ms</source>
        <translation>Leerlaufzeit (ms)</translation>
    </message>
    <message>
        <source>invoice prefix</source>
        <translation>Präfix Rechnung</translation>
    </message>
    <message>
        <source>keep</source>
        <translation>Aufbewahren</translation>
    </message>
    <message>
        <source>language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>locale</source>
        <translation>Gebietsschema</translation>
    </message>
    <message>
        <source>lockout minutes</source>
        <translation>Sperrdauer (Minuten)</translation>
    </message>
    <message>
        <source>max key interval ms</source>
        <translation>Max. Tastenabstand (ms)</translation>
    </message>
    <message>
        <source>min length</source>
        <translation>Mindestlänge</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>password file</source>
        <translation>Passwortdatei</translation>
    </message>
    <message>
        <source>payment terms</source>
        <translation>Zahlungsbedingungen</translation>
    </message>
    <message>
        <source>personalised</source>
        <translation>Personalisiert</translation>
    </message>
    <message>
        <source>pin attempts</source>
        <translation>PIN-Versuche</translation>
    </message>
    <message>
        <source>port</source>
        <translation>Anschluss</translation>
    </message>
    <message>
        <source>prefix</source>
        <translation>Präfix</translation>
    </message>
    <message>
        <source>ra prefix</source>
        <translation>Präfix Retourennummer</translation>
    </message>
    <message>
        <source>ranking</source>
        <translation>Rangfolge</translation>
    </message>
    <message>
        <source>required address fields</source>
        <translation>Pflichtfelder der Adresse</translation>
    </message>
    <message>
        <source>restocking fees</source>
        <translation>Wiedereinlagerungsgebühren</translation>
    </message>
    <message>
        <source>rounding</source>
        <translation>Rundung</translation>
    </message>
    <message>
        <source>seller tax id</source>
        <translation>USt-IdNr. des Verkäufers</translation>
    </message>
    <message>
        <source>shipping</source>
        <translation>Versand</translation>
    </message>
    <message>
        <source>shipping refunded</source>
        <translation>Versandkosten erstattet</translation>
    </message>
    <message>
        <source>sscc first</source>
        <translation>Erste SSCC</translation>
    </message>
    <message>
        <source>sscc last</source>
        <translation>Letzte SSCC</translation>
    </message>
    <message>
        <source>suffix</source>
        <translation>Suffix</translation>
    </message>
    <message>
        <source>sync seconds</source>
        <translation>Abgleich (Sekunden)</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <source>transport</source>
        <translation>Übertragung</translation>
    </message>
    <message>
        <source>unpaid</source>
        <translation>Unbezahlt</translation>
    </message>
    <message>
        <source>url</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>warehouse</source>
        <translation>Lager</translation>
    </message>
    <message>
        <source>weight tolerance min g</source>
        <translation>Gewichtstoleranz min. (g)</translation>
    </message>
    <message>
        <source>weight tolerance pct</source>
        <translation>Gewichtstoleranz (%)</translation>
    </message>
    <message>
        <source>when none whole</source>
        <translation>Wenn keiner vollständig</translation>
    </message>
    <message>
        <source>window days</source>
        <translation>Rückgabefrist (Tage)</translation>
    </message>
    <message>
        <source>zpl font</source>
        <translation>ZPL-Schrift</translation>
    </message>
    <message>
        <source>zpl font file</source>
        <translation>ZPL-Schriftdatei</translation>
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
        <source>(automatic)</source>
        <translation>(automatisch)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
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
    <name>ShortPicks</name>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>Fehlmenge</translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation>Was fehlt</translation>
    </message>
    <message>
        <source>Pick list</source>
        <translation>Pickliste</translation>
    </message>
    <message>
        <source>Picker</source>
        <translation>Kommissionierer</translation>
    </message>
</context>
<context>
    <name>ShortPicksBar</name>
    <message>
        <source>Short picks</source>
        <translation>Fehlmengen</translation>
    </message>
    <message>
        <source>Short picks: 1 order waits for a choice…</source>
        <translation>Fehlmengen: 1 Auftrag wartet auf eine Entscheidung…</translation>
    </message>
    <message>
        <source>Short picks: %d orders wait for a choice…</source>
        <translation>Fehlmengen: %d Aufträge warten auf eine Entscheidung…</translation>
    </message>
</context>
<context>
    <name>ShortPicksDialog</name>
    <message>
        <source>Short picks</source>
        <translation>Fehlmengen</translation>
    </message>
    <message>
        <source>Orders with short picks</source>
        <translation>Aufträge mit Fehlmengen</translation>
    </message>
    <message>
        <source>Why the order is held (for Hold), e.g. &apos;ask the customer&apos;</source>
        <translation>Warum der Auftrag gesperrt wird (für Sperren), z. B. „Kunden fragen“</translation>
    </message>
    <message>
        <source>Hold reason</source>
        <translation>Sperrgrund</translation>
    </message>
    <message>
        <source>Re-allocate from another bin</source>
        <translation>Aus anderem Lagerplatz neu zuteilen</translation>
    </message>
    <message>
        <source>Ship what was picked</source>
        <translation>Kommissioniertes versenden</translation>
    </message>
    <message>
        <source>Hold the order</source>
        <translation>Auftrag sperren</translation>
    </message>
    <message>
        <source>No short pick waits for a choice.</source>
        <translation>Keine Fehlmenge wartet auf eine Entscheidung.</translation>
    </message>
    <message>
        <source>Pickers found less than these orders need. Choose for each order: re-allocate the missing units from another bin with stock (a small follow-up list), ship what was picked, or hold the order.</source>
        <translation>Die Kommissionierer fanden weniger, als diese Aufträge brauchen. Für jeden Auftrag wählen: die fehlenden Stück aus einem anderen Lagerplatz mit Bestand neu zuteilen (eine kleine Nachpickliste), Kommissioniertes versenden oder den Auftrag sperren.</translation>
    </message>
</context>
<context>
    <name>StationStatusBar</name>
    <message>
        <source>none configured</source>
        <translation>keiner eingerichtet</translation>
    </message>
    <message>
        <source>not configured</source>
        <translation>nicht eingerichtet</translation>
    </message>
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
    <name>StockModel</name>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Lager</translation>
    </message>
    <message>
        <source>In hand</source>
        <translation>Am Lager</translation>
    </message>
    <message>
        <source>Committed</source>
        <translation>Reserviert</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>In transit</source>
        <translation>Unterwegs</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
</context>
<context>
    <name>StockPage</name>
    <message>
        <source>SKU or product name</source>
        <translation>Artikelnr. oder Artikelname</translation>
    </message>
    <message>
        <source>Find stock</source>
        <translation>Bestand suchen</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Suchen:</translation>
    </message>
    <message>
        <source>Stock per warehouse</source>
        <translation>Bestand je Lager</translation>
    </message>
    <message>
        <source>Transfers in transit</source>
        <translation>Umlagerungen unterwegs</translation>
    </message>
    <message>
        <source>&amp;Receive all</source>
        <translation>Alles &amp;einbuchen</translation>
    </message>
    <message>
        <source>Close &amp;short</source>
        <translation>Mit &amp;Fehlmenge abschließen</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n Artikel</numerusform>
            <numerusform>%n Artikel</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) in transit</source>
        <translation>
            <numerusform>%n Umlagerung unterwegs</numerusform>
            <numerusform>%n Umlagerungen unterwegs</numerusform>
        </translation>
    </message>
    <message>
        <source>Scan a transfer number (TR-…) to receive it.</source>
        <translation>Umlagerungsnummer (TR-…) scannen, um sie einzubuchen.</translation>
    </message>
    <message>
        <source>Receiving %1: scan the bin the items go into.</source>
        <translation>Einbuchen von %1: Lagerplatz scannen, in den die Artikel kommen.</translation>
    </message>
    <message>
        <source>Receiving %1 into bin %2: scan each item, or Receive all.</source>
        <translation>Einbuchen von %1 in Lagerplatz %2: jeden Artikel scannen oder Alles einbuchen.</translation>
    </message>
    <message>
        <source>Transfer %1 is not in transit: nothing to receive.</source>
        <translation>Umlagerung %1 ist nicht unterwegs: nichts einzubuchen.</translation>
    </message>
    <message>
        <source>Transfer %1: scan the bin.</source>
        <translation>Umlagerung %1: Lagerplatz scannen.</translation>
    </message>
    <message>
        <source>Scan a transfer number (TR-…) first.</source>
        <translation>Zuerst eine Umlagerungsnummer (TR-…) scannen.</translation>
    </message>
    <message>
        <source>Bin %1: scan the items.</source>
        <translation>Lagerplatz %1: Artikel scannen.</translation>
    </message>
    <message>
        <source>Received into %1; %2 still in transit.</source>
        <translation>In %1 eingebucht; %2 noch unterwegs.</translation>
    </message>
    <message>
        <source>Transfer %1 is %2.</source>
        <translation>Umlagerung %1 ist %2.</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <source>Units</source>
        <translation>Einheiten</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>Verbleib</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Central order store</source>
        <translation>Zentraler Auftragsspeicher</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Fortschritt des Abgleichs</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt abgleichen</translation>
    </message>
    <message>
        <source>Refused commands</source>
        <translation>Abgelehnte Befehle</translation>
    </message>
    <message>
        <source>Commands the central store refused</source>
        <translation>Vom zentralen Speicher abgelehnte Befehle</translation>
    </message>
    <message>
        <source>Sales channels: not done yet</source>
        <translation>Vertriebskanäle: noch nicht erledigt</translation>
    </message>
    <message>
        <source>The connector tries these again by itself; what the store refused needs a person (a key, an order changed in the store).</source>
        <translation>Der Connector versucht diese selbst erneut; was der Shop abgelehnt hat, braucht einen Menschen (einen Schlüssel, einen im Shop geänderten Auftrag).</translation>
    </message>
    <message>
        <source>Sales channel problems</source>
        <translation>Probleme der Vertriebskanäle</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Abgleich läuft…</translation>
    </message>
</context>
<context>
    <name>TransfersModel</name>
    <message>
        <source>Transfer</source>
        <translation>Umlagerung</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Eingebucht</translation>
    </message>
    <message>
        <source>In transit</source>
        <translation>Unterwegs</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
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
    <name>UsersController</name>
    <message>
        <source>{name} is unlocked and can sign in again.</source>
        <translation>{name} ist entsperrt und kann sich wieder anmelden.</translation>
    </message>
    <message>
        <source>{name} has a new PIN and can sign in with it now.</source>
        <translation>{name} hat eine neue PIN und kann sich jetzt damit anmelden.</translation>
    </message>
    <message>
        <source>{name} is added as {role} and can sign in now.</source>
        <translation>{name} ist als {role} angelegt und kann sich jetzt anmelden.</translation>
    </message>
    <message>
        <source>{name} is now {role}; it holds from their next sign-in.</source>
        <translation>{name} ist jetzt {role}; das gilt ab der nächsten Anmeldung.</translation>
    </message>
    <message>
        <source>{name}&apos;s badge is registered.</source>
        <translation>Der Ausweis von {name} ist registriert.</translation>
    </message>
    <message>
        <source>{name} has no badge any more.</source>
        <translation>{name} hat keinen Ausweis mehr.</translation>
    </message>
    <message>
        <source>{name} can sign in again.</source>
        <translation>{name} kann sich wieder anmelden.</translation>
    </message>
    <message>
        <source>{name} is deactivated and can no longer sign in.</source>
        <translation>{name} ist deaktiviert und kann sich nicht mehr anmelden.</translation>
    </message>
    <message>
        <source>{name} may now {doing}.</source>
        <translation>{name} darf jetzt: {doing}.</translation>
    </message>
    <message>
        <source>{name} may no longer {doing} (unless their role may).</source>
        <translation>{name} darf nicht mehr: {doing} (außer die Rolle darf es).</translation>
    </message>
    <message>
        <source>Every {role} may now {doing}, from their next sign-in.</source>
        <translation>Jede Rolle {role} darf jetzt: {doing}, ab der nächsten Anmeldung.</translation>
    </message>
    <message>
        <source>No {role} may {doing} any more, from their next sign-in.</source>
        <translation>Keine Rolle {role} darf mehr: {doing}, ab der nächsten Anmeldung.</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>Rights per role</source>
        <translation>Rechte je Rolle</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>1 user</source>
        <translation>1 Benutzer</translation>
    </message>
    <message>
        <source>{n} users</source>
        <translation>{n} Benutzer</translation>
    </message>
    <message>
        <source>{n} locked out</source>
        <translation>{n} gesperrt</translation>
    </message>
    <message>
        <source>{n} inactive</source>
        <translation>{n} inaktiv</translation>
    </message>
</context>
<context>
    <name>UsersTableModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Own rights</source>
        <translation>Eigene Rechte</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>LOCKED OUT until {time}</source>
        <translation>GESPERRT bis {time}</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>labels not printed: %s</source>
        <translation>Etiketten nicht gedruckt: %s</translation>
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
    <message>
        <source>Reports</source>
        <translation>Berichte</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Bestand</translation>
    </message>
</context>
<context>
    <name>WorkspacePage</name>
    <message>
        <source>The %s workspace does not take scans in this version.</source>
        <translation>Der Arbeitsbereich %s nimmt in dieser Version keine Scans an.</translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <source>Move to &amp;warehouse…</source>
        <translation>In anderes &amp;Lager…</translation>
    </message>
</context>
</TS>
