<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_GB">
<context>
    <name>ConflictsPage</name>
    <message numerus="yes">
        <location filename="../../app/ui/pages/conflicts.py" line="158" />
        <source>%n conflict(s) to resolve</source>
        <translation>
            <numerusform>%n conflict to resolve</numerusform><numerusform>%n conflicts to resolve</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/conflicts.py" line="160" />
        <source>%n refused change(s)</source>
        <translation>
            <numerusform>%n refused change</numerusform><numerusform>%n refused changes</numerusform></translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message numerus="yes">
        <location filename="../../app/ui/statusbar.py" line="113" />
        <source>%n change(s) waiting to sync</source>
        <translation>
            <numerusform>%n change waiting to sync</numerusform><numerusform>%n changes waiting to sync</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/statusbar.py" line="126" />
        <source>%n conflict(s) to resolve</source>
        <translation>
            <numerusform>%n conflict to resolve</numerusform><numerusform>%n conflicts to resolve</numerusform></translation>
    </message>
</context>
</TS>