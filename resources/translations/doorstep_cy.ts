<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="cy_GB">
<context>
    <name />
    <message>
        <location filename="../../app/ui/pages/common.py" line="59" />
        <source>Overdue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="60" />
        <source>Due soon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="61" />
        <source>Later</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="62" />
        <source>No due date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="119" />
        <source>Error for {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="138" />
        <location filename="../../app/ui/pages/common.py" line="141" />
        <source>Error: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="67" />
        <source>Enter the date as day/month/year, for example 31/01/1980.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="73" />
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="74" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="75" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="76" />
        <source>Shared</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="76" />
        <source>Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="77" />
        <source>By</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="78" />
        <source>Note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="85" />
        <source>Note kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="93" />
        <source>Note visibility</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="94" />
        <source>This service only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="95" />
        <source>Shared with other services</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <location filename="../../app/ui/pages/case.py" line="63" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="67" />
        <source>Case title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="69" />
        <source>Open the resident</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="73" />
        <source>Case facts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="76" />
        <location filename="../../app/ui/pages/case.py" line="133" />
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="79" />
        <source>Current status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="89" />
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="94" />
        <source>Summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="96" />
        <source>Priority</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="98" />
        <source>Due date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="100" />
        <source>Closure reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="102" />
        <source>S&amp;ummary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="103" />
        <source>&amp;Priority</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="104" />
        <source>&amp;Due date (dd/mm/yyyy)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="105" />
        <source>Closure &amp;reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="117" />
        <source>&amp;Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="118" />
        <source>Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="121" />
        <source>Save result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="126" />
        <location filename="../../app/ui/pages/case.py" line="139" />
        <source>Tasks and visits</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="130" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="131" />
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="132" />
        <source>Due</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="134" />
        <source>Checked in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="135" />
        <source>Checked out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="142" />
        <source>Check &amp;in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="143" />
        <source>Check in to the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="145" />
        <source>Check &amp;out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="146" />
        <source>Check out of the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="158" />
        <source>Notes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="161" />
        <source>Notes, newest first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="166" />
        <source>Note text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="169" />
        <source>&amp;Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="170" />
        <source>Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="183" />
        <source>Ctrl+Shift+N</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="186" />
        <source>Ctrl+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="187" />
        <source>Ctrl+Shift+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="234" />
        <source>This case's detail is not on this laptop.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="236" />
        <source>Only its owning team, officer and referred teams may open it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="249" />
        <source>Resident: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="251" />
        <source>{0} · team {1} · officer {2} · referred {3} · opened {4}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="254" />
        <source>unallocated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="259" />
        <source>Status: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="292" />
        <source>Move to: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="294" />
        <source>Move the case to {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="338" />
        <source>No changes to save.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="346" />
        <source>Saved on this laptop; it will sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="380" />
        <source>Select a visit first.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CaseloadModel</name>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="75" />
        <source>Reference</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="76" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="77" />
        <source>Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="78" />
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="79" />
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="80" />
        <source>Due</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="81" />
        <source>Due state</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CaseloadPage</name>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="195" />
        <location filename="../../app/ui/pages/caseload.py" line="201" />
        <source>My caseload</source>
        <translation>Fy llwyth achosion</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="206" />
        <source>Filter by service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="207" />
        <source>All services</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="211" />
        <source>Filter by status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="212" />
        <location filename="../../app/ui/pages/caseload.py" line="297" />
        <source>All statuses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="214" />
        <source>Filter by due date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="215" />
        <source>Any due date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="223" />
        <source>&amp;Service:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="224" />
        <source>S&amp;tatus:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="225" />
        <source>&amp;Due:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="235" />
        <source>Cases assigned to me</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="258" />
        <source>Number of cases shown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="279" />
        <source>Loading cases…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="306" />
        <source>The caseload could not be read ({0}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/caseload.py" line="321" />
        <source>{0} of {1} cases shown</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="46" />
        <source>Record</source>
        <translation>Cofnod</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="46" />
        <source>Field</source>
        <translation>Maes</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="46" />
        <source>Mine</source>
        <translation>Fy un i</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="46" />
        <source>Theirs</source>
        <translation>Eu un nhw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="66" />
        <source>Before either change: %1</source>
        <translation>Cyn y naill newid na'r llall: %1</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="153" />
        <location filename="../../app/ui/pages/conflicts.py" line="157" />
        <location filename="../../app/ui/pages/conflicts.py" line="158" />
        <source>Conflicts</source>
        <translation>Gwrthdaro</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="166" />
        <source>Changed here and elsewhere</source>
        <translation>Newidiwyd yma ac mewn man arall</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="167" />
        <source>Open conflicts</source>
        <translation>Gwrthdaro agored</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="170" />
        <source>Keep &amp;mine</source>
        <translation>Cadw &amp;fy un i</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="171" />
        <source>Keep my value</source>
        <translation>Cadw fy ngwerth i</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="172" />
        <source>Keep &amp;theirs</source>
        <translation>Cadw &amp;eu un nhw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="173" />
        <source>Keep their value</source>
        <translation>Cadw eu gwerth nhw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="175" />
        <source>New value</source>
        <translation>Gwerth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="176" />
        <source>Or type a new value</source>
        <translation>Neu teipiwch werth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="177" />
        <source>&amp;Use this value</source>
        <translation>&amp;Defnyddio'r gwerth hwn</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="178" />
        <source>Use the new value</source>
        <translation>Defnyddio'r gwerth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="181" />
        <source>New value error</source>
        <translation>Gwall yn y gwerth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="187" />
        <source>&amp;New value:</source>
        <translation>Gwerth &amp;newydd:</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="199" />
        <source>Changes the platform refused</source>
        <translation>Newidiadau a wrthodwyd gan y platfform</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="200" />
        <source>Refused changes</source>
        <translation>Newidiadau a wrthodwyd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="201" />
        <source>&amp;Open record to fix</source>
        <translation>&amp;Agor y cofnod i'w gywiro</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="202" />
        <source>Open the record to fix the change</source>
        <translation>Agor y cofnod i gywiro'r newid</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="203" />
        <source>&amp;Dismiss</source>
        <translation>D&amp;iystyru</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="204" />
        <source>Dismiss the refused change</source>
        <translation>Diystyru'r newid a wrthodwyd</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/conflicts.py" line="250" />
        <source>%n conflict(s) to resolve</source>
        <translation>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/conflicts.py" line="252" />
        <source>%n refused change(s)</source>
        <translation>
            <numerusform>Newidiadau a wrthodwyd: %n</numerusform>
            <numerusform>Newidiadau a wrthodwyd: %n</numerusform>
            <numerusform>Newidiadau a wrthodwyd: %n</numerusform>
            <numerusform>Newidiadau a wrthodwyd: %n</numerusform>
            <numerusform>Newidiadau a wrthodwyd: %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="280" />
        <source>Nothing to resolve.</source>
        <translation>Dim i'w ddatrys.</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="283" />
        <source>%1, %2: yours was “%3”, theirs is “%4” (before both: “%5”).</source>
        <translation>%1, %2: “%3” oedd eich un chi, “%4” yw eu un nhw (cyn y ddau: “%5”).</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="327" />
        <source>New value error: %1</source>
        <translation>Gwall yn y gwerth newydd: %1</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../app/ui/main.py" line="105" />
        <source>Sign in again to sync: File, Sign out, then sign in. Work is kept.</source>
        <translation>Mewngofnodwch eto i gysoni: Ffeil, Allgofnodi, yna mewngofnodi. Caiff gwaith ei gadw.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="112" />
        <source>Started offline: the platform cannot be reached. Changes wait here.</source>
        <translation>Wedi dechrau all-lein: does dim modd cyrraedd y platfform. Mae newidiadau'n aros yma.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="116" />
        <source>Signed in for this session only: no secure keyring on this computer.</source>
        <translation>Wedi mewngofnodi ar gyfer y sesiwn hon yn unig: does dim cylch allweddi diogel ar y cyfrifiadur hwn.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="147" />
        <source>You have signed out.</source>
        <translation>Rydych wedi allgofnodi.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="64" />
        <source>Doorstep — %1 (%2)</source>
        <translation>Doorstep — %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="66" />
        <source>Doorstep main window</source>
        <translation>Prif ffenestr Doorstep</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="69" />
        <source>Page</source>
        <translation>Tudalen</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="75" />
        <location filename="../../app/ui/mainwindow.py" line="77" />
        <source>Navigation</source>
        <translation>Llywio</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="86" />
        <source>&amp;File</source>
        <translation>&amp;Ffeil</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="87" />
        <source>&amp;Sync now</source>
        <translation>&amp;Cysoni nawr</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="91" />
        <source>Sign &amp;out</source>
        <translation>&amp;Allgofnodi</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="95" />
        <source>&amp;Quit</source>
        <translation>&amp;Gadael</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="100" />
        <source>&amp;Go</source>
        <translation>&amp;Mynd</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="109" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="124" />
        <source>&amp;Back</source>
        <translation>&amp;Yn ôl</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="132" />
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="133" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Llwybrau byr y bysellfwrdd</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="145" />
        <source>No pages are available.</source>
        <translation>Does dim tudalennau ar gael.</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="169" />
        <source>That screen is not part of this version.</source>
        <translation>Nid yw'r sgrin honno'n rhan o'r fersiwn hon.</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="212" />
        <source>Sync now</source>
        <translation>Cysoni nawr</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="216" />
        <source>Back</source>
        <translation>Yn ôl</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="218" />
        <location filename="../../app/ui/mainwindow.py" line="223" />
        <source>Keyboard shortcuts</source>
        <translation>Llwybrau byr y bysellfwrdd</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="50" />
        <source>My caseload</source>
        <translation>Fy llwyth achosion</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="51" />
        <source>Today's visits</source>
        <translation>Ymweliadau heddiw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="52" />
        <source>Search</source>
        <translation>Chwilio</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="53" />
        <source>Referrals inbox</source>
        <translation>Mewnflwch atgyfeiriadau</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="54" />
        <source>Conflicts</source>
        <translation>Gwrthdaro</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="58" />
        <source>Team caseload</source>
        <translation>Llwyth achosion y tîm</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="59" />
        <source>Allocation</source>
        <translation>Dyrannu</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="60" />
        <source>Approvals</source>
        <translation>Cymeradwyo</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="64" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="65" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
</context>
<context>
    <name>ReferralsPage</name>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="44" />
        <location filename="../../app/ui/pages/referrals.py" line="45" />
        <source>Referrals inbox</source>
        <translation>Mewnflwch atgyfeiriadau</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="49" />
        <source>Sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="50" />
        <source>Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="51" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="52" />
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="53" />
        <source>To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="54" />
        <source>Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="55" />
        <source>Lawful basis</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="59" />
        <source>Referrals waiting for a decision</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="61" />
        <source>&amp;Accept and open a case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="62" />
        <source>Accept the selected referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="65" />
        <source>Reason for declining</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="66" />
        <source>&amp;Decline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="67" />
        <source>Decline the selected referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="72" />
        <source>Decision result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="74" />
        <source>Number of referrals waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="82" />
        <source>Decline &amp;reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="106" />
        <source>{0} referrals waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="121" />
        <location filename="../../app/ui/pages/referrals.py" line="149" />
        <source>Select a referral first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="138" />
        <source>Accepted: case {0} opened for {1}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="163" />
        <source>Declined the referral for {0}.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>RejectedModel</name>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="91" />
        <source>Record</source>
        <translation>Cofnod</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="91" />
        <source>Change</source>
        <translation>Newid</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="91" />
        <source>Why it was refused</source>
        <translation>Pam y cafodd ei wrthod</translation>
    </message>
</context>
<context>
    <name>ResidentPage</name>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="114" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="119" />
        <source>Warning markers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="127" />
        <source>Resident name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="130" />
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="136" />
        <source>&amp;Given name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="137" />
        <source>&amp;Family name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="138" />
        <source>Date of &amp;birth (dd/mm/yyyy)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="139" />
        <source>&amp;NHS number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="140" />
        <source>&amp;Phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="141" />
        <source>&amp;Email</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="142" />
        <source>&amp;Communication needs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="151" />
        <source>Preferred language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="153" />
        <source>English</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="154" />
        <source>Welsh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="155" />
        <source>Other</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="158" />
        <source>Preferred &amp;language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="159" />
        <source>&amp;Interpreter needed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="160" />
        <source>Interpreter needed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="162" />
        <source>&amp;Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="163" />
        <source>Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="166" />
        <source>Save result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="171" />
        <source>Household and property</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="174" />
        <source>Property</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="178" />
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="179" />
        <source>Role</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="180" />
        <source>Date of birth</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="184" />
        <source>Household</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="190" />
        <location filename="../../app/ui/pages/resident.py" line="210" />
        <source>Cases across services</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="194" />
        <source>Reference</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="195" />
        <source>Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="196" />
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="197" />
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="199" />
        <source>Access</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="201" />
        <source>Full record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="203" />
        <source>Summary only (another service's case)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="206" />
        <source>Officer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="215" />
        <location filename="../../app/ui/pages/resident.py" line="218" />
        <source>Chronology</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="221" />
        <source>Case the note is about</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="225" />
        <source>Note text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="228" />
        <source>&amp;Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="229" />
        <source>Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="242" />
        <source>Refer to another service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="248" />
        <source>Refer to service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="250" />
        <source>From case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="252" />
        <source>Reason for referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="254" />
        <source>Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="258" />
        <source>Lawful basis for sharing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="260" />
        <source>Refer &amp;to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="261" />
        <source>Fr&amp;om case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="264" />
        <source>La&amp;wful basis</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="276" />
        <source>Sen&amp;d referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="262" />
        <source>&amp;Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="263" />
        <source>&amp;Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="277" />
        <source>Send referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="280" />
        <source>Referral result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="285" />
        <source>Ctrl+Shift+N</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="288" />
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="342" />
        <source>This resident is not on this laptop.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="357" />
        <source>{0}, {1} · UPRN {2} · {3}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="360" />
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="365" />
        <source>No property on record.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="383" />
        <source>Expired warning (review was due {2}): {0}. {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="385" />
        <source>WARNING: {0}. {1} (review by {2})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="396" />
        <source>Warning</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="425" />
        <source>No case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="471" />
        <source>No changes to save.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="479" />
        <source>Saved on this laptop; it will sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="488" />
        <source>Choose a case for the note.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="528" />
        <source>Referral to {0} saved; it will be sent on the next sync.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <location filename="../../app/ui/pages/search.py" line="134" />
        <location filename="../../app/ui/pages/search.py" line="137" />
        <source>Search</source>
        <translation>Chwilio</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="141" />
        <source>Search residents and cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="142" />
        <source>Name, NHS number, postcode, UPRN or case reference</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="145" />
        <source>&amp;Find:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="150" />
        <source>Search results, grouped by people and cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="159" />
        <source>Search status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="167" />
        <source>Ctrl+L</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="205" />
        <source>{0} people and {1} cases found</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <location filename="../../app/ui/pages/search.py" line="95" />
        <source>People (first {0}: type more to narrow)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="96" />
        <source>People ({0})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="98" />
        <source>Cases (first {0}: type more to narrow)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="99" />
        <source>Cases ({0})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/search.py" line="104" />
        <source>NHS {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SignInWindow</name>
    <message>
        <location filename="../../app/ui/signin.py" line="42" />
        <location filename="../../app/ui/signin.py" line="43" />
        <location filename="../../app/ui/signin.py" line="46" />
        <source>Sign in to Doorstep</source>
        <translation>Mewngofnodi i Doorstep</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="57" />
        <source>&amp;Platform address:</source>
        <translation>&amp;Cyfeiriad y platfform:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="58" />
        <source>&amp;Council code:</source>
        <translation>Cod y c&amp;yngor:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="59" />
        <source>&amp;Username:</source>
        <translation>&amp;Enw defnyddiwr:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="60" />
        <source>Pass&amp;word:</source>
        <translation>Cyf&amp;rinair:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="61" />
        <source>&amp;Store passphrase:</source>
        <translation>Cyfrinymadrodd y &amp;storfa:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="64" />
        <source>Platform address</source>
        <translation>Cyfeiriad y platfform</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="65" />
        <source>Council code</source>
        <translation>Cod y cyngor</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="66" />
        <source>Username</source>
        <translation>Enw defnyddiwr</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="67" />
        <source>Password</source>
        <translation>Cyfrinair</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="68" />
        <source>Store passphrase</source>
        <translation>Cyfrinymadrodd y storfa</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="77" />
        <source>%1 error</source>
        <translation>Gwall: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="84" />
        <source>Store passphrase again</source>
        <translation>Cyfrinymadrodd y storfa eto</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="91" />
        <source>🔒 Set by your organisation</source>
        <translation>🔒 Wedi'i osod gan eich sefydliad</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="93" />
        <source>%1 is set by your organisation</source>
        <translation>Mae %1 wedi'i osod gan eich sefydliad</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="110" />
        <source>Passphrase &amp;again:</source>
        <translation>Cyfrinymadrodd e&amp;to:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="128" />
        <source>No secure keyring (Secret Service, Keychain or Credential Manager) is available on this computer. Your sign-in is kept in memory for this session only and is never written to a file, so you will sign in again next time and cannot start offline.</source>
        <translation>Does dim cylch allweddi diogel (Secret Service, Keychain neu Credential Manager) ar gael ar y cyfrifiadur hwn. Caiff eich mewngofnodi ei gadw yn y cof ar gyfer y sesiwn hon yn unig ac ni chaiff byth ei ysgrifennu i ffeil, felly byddwch yn mewngofnodi eto y tro nesaf ac ni allwch ddechrau all-lein.</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="143" />
        <source>Sign-in error</source>
        <translation>Gwall mewngofnodi</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="146" />
        <source>Sign-in progress</source>
        <translation>Cynnydd mewngofnodi</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="147" />
        <source>Sign &amp;in</source>
        <translation>&amp;Mewngofnodi</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="148" />
        <source>Sign in</source>
        <translation>Mewngofnodi</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="214" />
        <source>Signing in…</source>
        <translation>Wrthi'n mewngofnodi…</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="259" />
        <source>Sign-in stopped unexpectedly (%1). Try again or contact IT.</source>
        <translation>Daeth y mewngofnodi i ben yn annisgwyl (%1). Rhowch gynnig arall arni neu cysylltwch â TG.</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../app/ui/sync.py" line="210" />
        <source>Sign in again to sync: %1</source>
        <translation>Mewngofnodwch eto i gysoni: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync.py" line="219" />
        <source>The platform cannot be reached. Your changes are kept on this laptop and will be sent at the next sync.</source>
        <translation>Does dim modd cyrraedd y platfform. Mae eich newidiadau'n cael eu cadw ar y gliniadur hwn a byddant yn cael eu hanfon yn y cysoniad nesaf.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync.py" line="228" />
        <location filename="../../app/ui/sync.py" line="234" />
        <source>Sync did not finish: %1</source>
        <translation>Ni orffennodd y cysoni: %1</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../app/ui/statusbar.py" line="34" />
        <source>Sync status</source>
        <translation>Statws cysoni</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="40" />
        <source>Sync progress</source>
        <translation>Cynnydd cysoni</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="46" />
        <source>Open conflicts</source>
        <translation>Gwrthdaro agored</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="48" />
        <location filename="../../app/ui/statusbar.py" line="49" />
        <source>Sync now</source>
        <translation>Cysoni nawr</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="50" />
        <source>Send and receive changes now (Ctrl+R or F5)</source>
        <translation>Anfon a derbyn newidiadau nawr (Ctrl+R neu F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="104" />
        <source>Online</source>
        <translation>Ar-lein</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="107" />
        <source>Offline: working from this laptop</source>
        <translation>All-lein: yn gweithio o'r gliniadur hwn</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/statusbar.py" line="113" />
        <source>%n change(s) waiting to sync</source>
        <translation>
            <numerusform>Newidiadau yn aros i gysoni: %n</numerusform>
            <numerusform>Newidiadau yn aros i gysoni: %n</numerusform>
            <numerusform>Newidiadau yn aros i gysoni: %n</numerusform>
            <numerusform>Newidiadau yn aros i gysoni: %n</numerusform>
            <numerusform>Newidiadau yn aros i gysoni: %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="116" />
        <source>Never synced</source>
        <translation>Heb gysoni erioed</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="122" />
        <source>Last synced %1</source>
        <translation>Cysonwyd ddiwethaf %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/statusbar.py" line="126" />
        <source>%n conflict(s) to resolve</source>
        <translation>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
            <numerusform>Gwrthdaro i'w datrys: %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="131" />
        <source>No conflicts</source>
        <translation>Dim gwrthdaro</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="140" />
        <source>Syncing</source>
        <translation>Yn cysoni</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="142" />
        <source>Syncing…</source>
        <translation>Yn cysoni…</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="146" />
        <source>Sending %1</source>
        <translation>Yn anfon %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="147" />
        <source>Receiving %1</source>
        <translation>Yn derbyn %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="148" />
        <source>Starting afresh %1</source>
        <translation>Yn dechrau o'r newydd %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="149" />
        <source>Tidying up %1</source>
        <translation>Yn tacluso %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/statusbar.py" line="167" />
        <source>Synced: %1 sent, %2 received</source>
        <translation>Wedi cysoni: %1 wedi'u hanfon, %2 wedi'u derbyn</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="37" />
        <location filename="../../app/ui/pages/visits.py" line="38" />
        <source>Today's visits</source>
        <translation>Ymweliadau heddiw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="42" />
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="43" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="44" />
        <source>What</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="45" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="46" />
        <source>Address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="47" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="48" />
        <source>Checked in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="49" />
        <source>Checked out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="53" />
        <source>Visits and tasks due today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="56" />
        <source>Check &amp;in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="57" />
        <source>Check in to the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="59" />
        <source>Check &amp;out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="60" />
        <source>Check out of the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="65" />
        <source>Number of visits today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="66" />
        <source>Ctrl+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="67" />
        <source>Ctrl+Shift+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="96" />
        <source>{0} visits and {1} tasks due today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="111" />
        <source>Select a visit first.</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>