<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="cy_GB">
<context>
    <name />
    <message>
        <location filename="../../app/ui/pages/common.py" line="64" />
        <source>Overdue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="65" />
        <source>Due soon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="66" />
        <source>Later</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="67" />
        <source>No due date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="124" />
        <source>Error for {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/common.py" line="143" />
        <location filename="../../app/ui/pages/common.py" line="146" />
        <source>Error: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="68" />
        <source>Enter the date as day/month/year, for example 31/01/1980.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="74" />
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="75" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="76" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="77" />
        <source>Shared</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="77" />
        <source>Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="78" />
        <source>By</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="79" />
        <source>Note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="86" />
        <source>Note kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="94" />
        <source>Note visibility</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="95" />
        <source>This service only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="96" />
        <source>Shared with other services</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <location filename="../../app/ui/pages/case.py" line="73" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="77" />
        <source>Case title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="79" />
        <source>Open the resident</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="83" />
        <source>Case facts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="86" />
        <location filename="../../app/ui/pages/case.py" line="135" />
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="89" />
        <source>Current status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="99" />
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="104" />
        <source>Summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="106" />
        <source>Priority</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="108" />
        <source>Due date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="110" />
        <source>Closure reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="112" />
        <source>S&amp;ummary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="113" />
        <source>&amp;Priority</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="114" />
        <source>&amp;Due date (dd/mm/yyyy)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="115" />
        <source>Closure &amp;reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="119" />
        <source>&amp;Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="120" />
        <source>Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="123" />
        <source>Save result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="128" />
        <location filename="../../app/ui/pages/case.py" line="141" />
        <source>Tasks and visits</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="132" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="133" />
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="134" />
        <source>Due</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="136" />
        <source>Checked in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="137" />
        <source>Checked out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="144" />
        <source>Check &amp;in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="145" />
        <source>Check in to the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="147" />
        <source>Check &amp;out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="148" />
        <source>Check out of the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="160" />
        <source>Notes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="163" />
        <source>Notes, newest first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="168" />
        <source>Note text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="171" />
        <source>&amp;Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="172" />
        <source>Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="185" />
        <source>Ctrl+Shift+N</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="188" />
        <source>Ctrl+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="189" />
        <source>Ctrl+Shift+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="236" />
        <source>This case's detail is not on this laptop.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="238" />
        <source>Only its owning team, officer and referred teams may open it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="258" />
        <source>Resident: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="260" />
        <source>{0} · team {1} · officer {2} · referred {3} · opened {4}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="263" />
        <source>unallocated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="268" />
        <source>Status: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="302" />
        <source>Request closure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="303" />
        <source>Ask a team lead to close the case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="305" />
        <source>Move to: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="306" />
        <source>Move the case to {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="371" />
        <source>No changes to save.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="379" />
        <source>Saved on this laptop; it will sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/case.py" line="407" />
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
    <name>ConflictsPage</name>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="42" />
        <location filename="../../app/ui/pages/conflicts.py" line="65" />
        <location filename="../../app/ui/pages/conflicts.py" line="66" />
        <source>Conflicts</source>
        <translation>Gwrthdaro</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="47" />
        <location filename="../../app/ui/pages/conflicts.py" line="57" />
        <source>Record</source>
        <translation>Cofnod</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="48" />
        <source>Field</source>
        <translation>Maes</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="49" />
        <source>Mine</source>
        <translation>Fy un i</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="50" />
        <source>Theirs</source>
        <translation>Eu un nhw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="53" />
        <source>Before either change: %1</source>
        <translation>Cyn y naill newid na'r llall: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="58" />
        <source>Change</source>
        <translation>Newid</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="59" />
        <source>Why it was refused</source>
        <translation>Pam y cafodd ei wrthod</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="74" />
        <source>Changed here and elsewhere</source>
        <translation>Newidiwyd yma ac mewn man arall</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="75" />
        <source>Open conflicts</source>
        <translation>Gwrthdaro agored</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="78" />
        <source>Keep &amp;mine</source>
        <translation>Cadw &amp;fy un i</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="79" />
        <source>Keep my value</source>
        <translation>Cadw fy ngwerth i</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="80" />
        <source>Keep &amp;theirs</source>
        <translation>Cadw &amp;eu un nhw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="81" />
        <source>Keep their value</source>
        <translation>Cadw eu gwerth nhw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="83" />
        <source>New value</source>
        <translation>Gwerth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="84" />
        <source>Or type a new value</source>
        <translation>Neu teipiwch werth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="85" />
        <source>&amp;Use this value</source>
        <translation>&amp;Defnyddio'r gwerth hwn</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="86" />
        <source>Use the new value</source>
        <translation>Defnyddio'r gwerth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="89" />
        <source>New value error</source>
        <translation>Gwall yn y gwerth newydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="95" />
        <source>&amp;New value:</source>
        <translation>Gwerth &amp;newydd:</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="107" />
        <source>Changes the platform refused</source>
        <translation>Newidiadau a wrthodwyd gan y platfform</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="108" />
        <source>Refused changes</source>
        <translation>Newidiadau a wrthodwyd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="109" />
        <source>&amp;Open record to fix</source>
        <translation>&amp;Agor y cofnod i'w gywiro</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="110" />
        <source>Open the record to fix the change</source>
        <translation>Agor y cofnod i gywiro'r newid</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="111" />
        <source>&amp;Dismiss</source>
        <translation>D&amp;iystyru</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="112" />
        <source>Dismiss the refused change</source>
        <translation>Diystyru'r newid a wrthodwyd</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/conflicts.py" line="158" />
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
        <location filename="../../app/ui/pages/conflicts.py" line="160" />
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
        <location filename="../../app/ui/pages/conflicts.py" line="190" />
        <source>Nothing to resolve.</source>
        <translation>Dim i'w ddatrys.</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="193" />
        <source>%1, %2: yours was “%3”, theirs is “%4” (before both: “%5”).</source>
        <translation>%1, %2: “%3” oedd eich un chi, “%4” yw eu un nhw (cyn y ddau: “%5”).</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/conflicts.py" line="237" />
        <source>New value error: %1</source>
        <translation>Gwall yn y gwerth newydd: %1</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../app/ui/main.py" line="110" />
        <source>Sign in again to sync: File, Sign out, then sign in. Work is kept.</source>
        <translation>Mewngofnodwch eto i gysoni: Ffeil, Allgofnodi, yna mewngofnodi. Caiff gwaith ei gadw.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="117" />
        <source>Started offline: the platform cannot be reached. Changes wait here.</source>
        <translation>Wedi dechrau all-lein: does dim modd cyrraedd y platfform. Mae newidiadau'n aros yma.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="121" />
        <source>Signed in for this session only: no secure keyring on this computer.</source>
        <translation>Wedi mewngofnodi ar gyfer y sesiwn hon yn unig: does dim cylch allweddi diogel ar y cyfrifiadur hwn.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="152" />
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
        <location filename="../../app/ui/pages/standard.py" line="52" />
        <source>My caseload</source>
        <translation>Fy llwyth achosion</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="53" />
        <source>Today's visits</source>
        <translation>Ymweliadau heddiw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="54" />
        <source>Search</source>
        <translation>Chwilio</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="55" />
        <source>Referrals inbox</source>
        <translation>Mewnflwch atgyfeiriadau</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="56" />
        <source>Conflicts</source>
        <translation>Gwrthdaro</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="62" />
        <source>Team caseload</source>
        <translation>Llwyth achosion y tîm</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="63" />
        <source>Allocation</source>
        <translation>Dyrannu</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="64" />
        <source>Approvals</source>
        <translation>Cymeradwyo</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="57" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/standard.py" line="58" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
</context>
<context>
    <name>ReferralsPage</name>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="52" />
        <location filename="../../app/ui/pages/referrals.py" line="53" />
        <source>Referrals inbox</source>
        <translation>Mewnflwch atgyfeiriadau</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="57" />
        <source>Sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="58" />
        <source>Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="59" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="60" />
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="61" />
        <source>To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="62" />
        <source>Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="63" />
        <source>Lawful basis</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="67" />
        <source>Referrals waiting for a decision</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="69" />
        <source>&amp;Accept and open a case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="70" />
        <source>Accept the selected referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="73" />
        <source>Reason for declining</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="74" />
        <source>&amp;Decline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="75" />
        <source>Decline the selected referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="80" />
        <source>Decision result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="82" />
        <source>Number of referrals waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="86" />
        <source>Decline &amp;reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="108" />
        <source>{0} referrals waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="123" />
        <location filename="../../app/ui/pages/referrals.py" line="151" />
        <source>Select a referral first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="140" />
        <source>Accepted: case {0} opened for {1}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/referrals.py" line="165" />
        <source>Declined the referral for {0}.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ResidentPage</name>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="138" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="143" />
        <source>Warning markers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="151" />
        <source>Resident name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="154" />
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="160" />
        <source>&amp;Given name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="161" />
        <source>&amp;Family name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="162" />
        <source>Date of &amp;birth (dd/mm/yyyy)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="163" />
        <source>&amp;NHS number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="164" />
        <source>&amp;Phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="165" />
        <source>&amp;Email</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="166" />
        <source>&amp;Communication needs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="175" />
        <source>Preferred language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="177" />
        <source>English</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="178" />
        <source>Welsh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="179" />
        <source>Other</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="183" />
        <source>Preferred &amp;language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="185" />
        <source>&amp;Interpreter needed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="186" />
        <source>Interpreter needed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="188" />
        <source>&amp;Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="189" />
        <source>Save details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="192" />
        <source>Save result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="197" />
        <source>Household and property</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="200" />
        <source>Property</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="204" />
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="205" />
        <source>Role</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="206" />
        <source>Date of birth</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="210" />
        <source>Household</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="216" />
        <location filename="../../app/ui/pages/resident.py" line="236" />
        <source>Cases across services</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="220" />
        <source>Reference</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="221" />
        <source>Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="222" />
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="223" />
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="225" />
        <source>Access</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="227" />
        <source>Full record</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="229" />
        <source>Summary only (another service's case)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="232" />
        <source>Officer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="241" />
        <location filename="../../app/ui/pages/resident.py" line="244" />
        <source>Chronology</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="247" />
        <source>Case the note is about</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="251" />
        <source>Note text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="254" />
        <source>&amp;Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="255" />
        <source>Add note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="268" />
        <source>Refer to another service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="274" />
        <source>Refer to service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="276" />
        <source>From case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="278" />
        <source>Reason for referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="280" />
        <source>Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="284" />
        <source>Lawful basis for sharing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="286" />
        <source>Refer &amp;to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="287" />
        <source>Fr&amp;om case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="290" />
        <source>La&amp;wful basis</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="294" />
        <source>Sen&amp;d referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="288" />
        <source>&amp;Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="289" />
        <source>&amp;Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="295" />
        <source>Send referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="298" />
        <source>Referral result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="303" />
        <source>Ctrl+Shift+N</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="306" />
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="344" />
        <source>This resident is not on this laptop.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="359" />
        <source>{0}, {1} · UPRN {2} · {3}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="362" />
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="367" />
        <source>No property on record.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="385" />
        <source>Expired warning (review was due {2}): {0}. {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="387" />
        <source>WARNING: {0}. {1} (review by {2})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="398" />
        <source>Warning</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="427" />
        <source>No case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="473" />
        <source>No changes to save.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="481" />
        <source>Saved on this laptop; it will sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="490" />
        <source>Choose a case for the note.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/resident.py" line="524" />
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
        <location filename="../../app/ui/sync.py" line="234" />
        <source>Sign in again to sync: %1</source>
        <translation>Mewngofnodwch eto i gysoni: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync.py" line="243" />
        <source>The platform cannot be reached. Your changes are kept on this laptop and will be sent at the next sync.</source>
        <translation>Does dim modd cyrraedd y platfform. Mae eich newidiadau'n cael eu cadw ar y gliniadur hwn a byddant yn cael eu hanfon yn y cysoniad nesaf.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync.py" line="252" />
        <location filename="../../app/ui/sync.py" line="258" />
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
    <name>TeamScreens</name>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="52" />
        <source>Allocation</source>
        <translation>Dyrannu</translation>
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="59" />
        <source>Waiting for allocation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="63" />
        <source>Team's open cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="67" />
        <source>Cases to allocate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="68" />
        <source>&amp;Waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="70" />
        <source>&amp;Team's open cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="74" />
        <source>Team</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="76" />
        <source>Another team here transfers the case to that team.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="81" />
        <location filename="../../app/ui/team/models.py" line="151" />
        <location filename="../../app/ui/team/models.py" line="184" />
        <location filename="../../app/ui/team/pdf.py" line="35" />
        <source>Officer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="84" />
        <source>Reason (required)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="89" />
        <source>&amp;Allocate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="90" />
        <source>Allocate the case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="94" />
        <location filename="../../app/ui/team/allocation.py" line="221" />
        <location filename="../../app/ui/team/allocation.py" line="241" />
        <location filename="../../app/ui/team/allocation.py" line="249" />
        <source>Choose a case.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="97" />
        <location filename="../../app/ui/team/approvals.py" line="76" />
        <source>Result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="100" />
        <source>Allocation history</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="104" />
        <source>Case:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="105" />
        <source>T&amp;eam:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="108" />
        <source>&amp;Officer:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="111" />
        <source>&amp;Reason:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="115" />
        <source>Allocation &amp;history</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="170" />
        <source>Unallocated (the team's queue)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="229" />
        <source>{label} for {name}: allocating opens its case.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="243" />
        <source>unallocated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="263" />
        <source>case: Choose a case to allocate.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="269" />
        <source>officer: Choose an officer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="291" />
        <source>Moved to the queue of {team}; its leads allocate it there.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="295" />
        <source>Allocated to {name} ({team}). The officer's laptop receives it at its next sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/allocation.py" line="312" />
        <source>team: A referral is allocated to an officer of your own team; transfer its case afterwards.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="40" />
        <source>Approvals</source>
        <translation>Cymeradwyo</translation>
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="44" />
        <source>Warning markers waiting for approval</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="48" />
        <source>Closures waiting for approval</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="52" />
        <source>Approve &amp;marker</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="53" />
        <source>Approve the selected marker</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="57" />
        <source>&amp;Withdraw marker</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="58" />
        <source>Decline the selected marker</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="62" />
        <source>Approve &amp;closure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="63" />
        <source>Approve the selected closure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="67" />
        <source>&amp;Decline closure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="68" />
        <source>Decline the selected closure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="73" />
        <source>Reason for declining the closure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="79" />
        <source>Warning markers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="87" />
        <source>Closures</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="91" />
        <source>Reason for declining:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="129" />
        <source>closure: Choose a closure first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="142" />
        <source>marker: Choose a marker first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="161" />
        <source>Marker approved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="167" />
        <source>Marker withdrawn.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="181" />
        <source>Case {reference} closed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/approvals.py" line="198" />
        <source>Closure of {reference} declined.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="69" />
        <location filename="../../app/ui/team/caseload.py" line="74" />
        <location filename="../../app/ui/team/caseload.py" line="75" />
        <source>Team caseload</source>
        <translation>Llwyth achosion y tîm</translation>
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="76" />
        <location filename="../../app/ui/team/caseload.py" line="166" />
        <source>Loading…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="77" />
        <location filename="../../app/ui/team/models.py" line="152" />
        <location filename="../../app/ui/team/models.py" line="180" />
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="79" />
        <source>&amp;Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="80" />
        <source>Refresh the caseload</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="84" />
        <source>Export &amp;CSV…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="85" />
        <source>Export the caseload as CSV</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="89" />
        <source>Export &amp;PDF summary…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="90" />
        <source>Export a one-page PDF summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="94" />
        <source>Show &amp;all cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="95" />
        <source>Show every officer's cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="102" />
        <source>Officers' workload</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="106" />
        <location filename="../../app/ui/team/models.py" line="153" />
        <location filename="../../app/ui/team/pdf.py" line="36" />
        <source>Open cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="108" />
        <location filename="../../app/ui/team/caseload.py" line="212" />
        <source>All open cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="161" />
        <source>You are not in a team, so there is no caseload to show.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="173" />
        <source>Team caseload: {team}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="182" />
        <source>{cases} open cases, {red} red, {queue} waiting for allocation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="190" />
        <source>The caseload could not be read ({kind}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="216" />
        <source>Open cases of {name}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="248" />
        <source>Export caseload</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="250" />
        <source>CSV files (*.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="258" />
        <source>Export summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/caseload.py" line="260" />
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/chart.py" line="35" />
        <source>Workload per officer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/chart.py" line="43" />
        <source>{name}: {points} points, {cases} open cases, {rag}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/chart.py" line="89" />
        <source>No officers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/chart.py" line="110" />
        <source>{points} pts · {rag}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="41" />
        <location filename="../../app/ui/team/models.py" line="157" />
        <location filename="../../app/ui/team/pdf.py" line="40" />
        <source>Red</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="42" />
        <location filename="../../app/ui/team/models.py" line="158" />
        <location filename="../../app/ui/team/pdf.py" line="41" />
        <source>Amber</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="43" />
        <source>Green</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="154" />
        <location filename="../../app/ui/team/models.py" line="186" />
        <location filename="../../app/ui/team/pdf.py" line="37" />
        <source>Points</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="155" />
        <location filename="../../app/ui/team/pdf.py" line="38" />
        <source>Overdue tasks</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="156" />
        <location filename="../../app/ui/team/pdf.py" line="39" />
        <source>Overdue visits</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="179" />
        <location filename="../../app/ui/team/models.py" line="273" />
        <source>Reference</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="181" />
        <source>Why</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="182" />
        <location filename="../../app/ui/team/models.py" line="274" />
        <source>Case type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="183" />
        <location filename="../../app/ui/team/models.py" line="275" />
        <source>Stage</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="185" />
        <location filename="../../app/ui/team/models.py" line="210" />
        <location filename="../../app/ui/team/models.py" line="253" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="194" />
        <location filename="../../app/ui/team/pdf.py" line="68" />
        <source>Unallocated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="207" />
        <source>Received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="208" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="209" />
        <source>What</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="211" />
        <source>Urgency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="212" />
        <source>Summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="217" />
        <source>New case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="219" />
        <source>Referral</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="233" />
        <location filename="../../app/ui/team/models.py" line="293" />
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="234" />
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="235" />
        <source>To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="236" />
        <source>By</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="237" />
        <location filename="../../app/ui/team/models.py" line="255" />
        <location filename="../../app/ui/team/models.py" line="276" />
        <source>Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="241" />
        <location filename="../../app/ui/team/models.py" line="242" />
        <source>Nobody</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="254" />
        <source>Category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="256" />
        <source>Review by</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="257" />
        <source>Proposed by</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="277" />
        <source>Asked by</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="294" />
        <source>Author</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="295" />
        <source>Note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/models.py" line="301" />
        <source> (not yet synced)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/pdf.py" line="21" />
        <source>Caseload summary: {team}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/pdf.py" line="28" />
        <source>As of {when}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/pdf.py" line="54" />
        <source>Waiting for allocation: {queue} (of which new cases: {cases})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/pdf.py" line="62" />
        <source>Cases needing attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/pdf.py" line="74" />
        <source>… and {n} more red or amber cases.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/pdf.py" line="87" />
        <source>Caseload summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/supervision.py" line="34" />
        <location filename="../../app/ui/team/supervision.py" line="36" />
        <source>Supervision notes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/supervision.py" line="40" />
        <source>New supervision note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/supervision.py" line="43" />
        <source>&amp;New supervision note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/supervision.py" line="46" />
        <source>A&amp;dd supervision note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/supervision.py" line="47" />
        <source>Add supervision note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/team/supervision.py" line="51" />
        <source>Problem</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="43" />
        <location filename="../../app/ui/pages/visits.py" line="44" />
        <source>Today's visits</source>
        <translation>Ymweliadau heddiw</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="48" />
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="49" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="50" />
        <source>What</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="51" />
        <source>Resident</source>
        <translation>Preswylydd</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="52" />
        <source>Address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="53" />
        <source>Case</source>
        <translation>Achos</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="54" />
        <source>Checked in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="55" />
        <source>Checked out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="59" />
        <source>Visits and tasks due today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="62" />
        <source>Check &amp;in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="63" />
        <source>Check in to the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="65" />
        <source>Check &amp;out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="66" />
        <source>Check out of the selected visit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="71" />
        <source>Number of visits today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="72" />
        <source>Ctrl+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="73" />
        <source>Ctrl+Shift+I</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="102" />
        <source>{0} visits and {1} tasks due today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/ui/pages/visits.py" line="117" />
        <source>Select a visit first.</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>