"""Fill resources/translations/doorstep_cy.ts with the Welsh texts kept here (after lupdate)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parents[1] / "resources" / "translations" / "doorstep_cy.ts"

# Welsh for the sign-in window, main window, navigation, status bar and conflicts page.
# Plural strings put the number last ("...: %n") so one form reads right for every count.
WELSH: dict[str, str] = {
    "Sign in again to sync: %1": "Mewngofnodwch eto i gysoni: %1",
    "The platform cannot be reached. Your changes are kept on this laptop and will be sent "
    "at the next sync.": "Does dim modd cyrraedd y platfform. Mae eich newidiadau'n cael eu "
    "cadw ar y gliniadur hwn a byddant yn cael eu hanfon yn y cysoniad nesaf.",
    "Sync did not finish: %1": "Ni orffennodd y cysoni: %1",
    "Record": "Cofnod",
    "Field": "Maes",
    "Mine": "Fy un i",
    "Theirs": "Eu un nhw",
    "Before either change: %1": "Cyn y naill newid na'r llall: %1",
    "Conflicts": "Gwrthdaro",
    "Changed here and elsewhere": "Newidiwyd yma ac mewn man arall",
    "Open conflicts": "Gwrthdaro agored",
    "Keep &mine": "Cadw &fy un i",
    "Keep my value": "Cadw fy ngwerth i",
    "Keep &theirs": "Cadw &eu un nhw",
    "Keep their value": "Cadw eu gwerth nhw",
    "New value": "Gwerth newydd",
    "Or type a new value": "Neu teipiwch werth newydd",
    "&Use this value": "&Defnyddio'r gwerth hwn",
    "Use the new value": "Defnyddio'r gwerth newydd",
    "New value error": "Gwall yn y gwerth newydd",
    "&New value:": "Gwerth &newydd:",
    "Changes the platform refused": "Newidiadau a wrthodwyd gan y platfform",
    "Refused changes": "Newidiadau a wrthodwyd",
    "&Open record to fix": "&Agor y cofnod i'w gywiro",
    "Open the record to fix the change": "Agor y cofnod i gywiro'r newid",
    "&Dismiss": "D&iystyru",
    "Dismiss the refused change": "Diystyru'r newid a wrthodwyd",
    "%n conflict(s) to resolve": "Gwrthdaro i'w datrys: %n",
    "%n refused change(s)": "Newidiadau a wrthodwyd: %n",
    "Nothing to resolve.": "Dim i'w ddatrys.",
    "%1, %2: yours was “%3”, theirs is “%4” (before both: “%5”).": (
        "%1, %2: “%3” oedd eich un chi, “%4” yw eu un nhw (cyn y ddau: “%5”)."
    ),
    "New value error: %1": "Gwall yn y gwerth newydd: %1",
    "Started offline: the platform cannot be reached. Changes wait here.": (
        "Wedi dechrau all-lein: does dim modd cyrraedd y platfform. Mae newidiadau'n aros yma."
    ),
    "Signed in for this session only: no secure keyring on this computer.": (
        "Wedi mewngofnodi ar gyfer y sesiwn hon yn unig: does dim cylch allweddi diogel ar y "
        "cyfrifiadur hwn."
    ),
    "You have signed out.": "Rydych wedi allgofnodi.",
    "Sign in again to sync: File, Sign out, then sign in. Work is kept.": (
        "Mewngofnodwch eto i gysoni: Ffeil, Allgofnodi, yna mewngofnodi. Caiff gwaith ei gadw."
    ),
    "Doorstep — %1 (%2)": "Doorstep — %1 (%2)",
    "Doorstep main window": "Prif ffenestr Doorstep",
    "Page": "Tudalen",
    "Navigation": "Llywio",
    "&File": "&Ffeil",
    "&Sync now": "&Cysoni nawr",
    "Sign &out": "&Allgofnodi",
    "&Quit": "&Gadael",
    "&Go": "&Mynd",
    "%1 (%2)": "%1 (%2)",
    "&Back": "&Yn ôl",
    "&Help": "&Help",
    "&Keyboard shortcuts": "&Llwybrau byr y bysellfwrdd",
    "No pages are available.": "Does dim tudalennau ar gael.",
    "That screen is not part of this version.": "Nid yw'r sgrin honno'n rhan o'r fersiwn hon.",
    "Sync now": "Cysoni nawr",
    "Back": "Yn ôl",
    "Keyboard shortcuts": "Llwybrau byr y bysellfwrdd",
    "My caseload": "Fy llwyth achosion",
    "Today's visits": "Ymweliadau heddiw",
    "Search": "Chwilio",
    "Referrals inbox": "Mewnflwch atgyfeiriadau",
    "Resident": "Preswylydd",
    "Team caseload": "Llwyth achosion y tîm",
    "Allocation": "Dyrannu",
    "Approvals": "Cymeradwyo",
    "Case": "Achos",
    "Change": "Newid",
    "Why it was refused": "Pam y cafodd ei wrthod",
    "Sign in to Doorstep": "Mewngofnodi i Doorstep",
    "&Platform address:": "&Cyfeiriad y platfform:",
    "&Council code:": "Cod y c&yngor:",
    "&Username:": "&Enw defnyddiwr:",
    "Pass&word:": "Cyf&rinair:",
    "&Store passphrase:": "Cyfrinymadrodd y &storfa:",
    "Platform address": "Cyfeiriad y platfform",
    "Council code": "Cod y cyngor",
    "Username": "Enw defnyddiwr",
    "Password": "Cyfrinair",
    "Store passphrase": "Cyfrinymadrodd y storfa",
    "%1 error": "Gwall: %1",
    "Store passphrase again": "Cyfrinymadrodd y storfa eto",
    "🔒 Set by your organisation": "🔒 Wedi'i osod gan eich sefydliad",
    "%1 is set by your organisation": "Mae %1 wedi'i osod gan eich sefydliad",
    "Passphrase &again:": "Cyfrinymadrodd e&to:",
    "No secure keyring (Secret Service, Keychain or Credential Manager) is available on this "
    "computer. Your sign-in is kept in memory for this session only and is never written to "
    "a file, so you will sign in again next time and cannot start offline.": (
        "Does dim cylch allweddi diogel (Secret Service, Keychain neu Credential Manager) ar "
        "gael ar y cyfrifiadur hwn. Caiff eich mewngofnodi ei gadw yn y cof ar gyfer y sesiwn "
        "hon yn unig ac ni chaiff byth ei ysgrifennu i ffeil, felly byddwch yn mewngofnodi eto "
        "y tro nesaf ac ni allwch ddechrau all-lein."
    ),
    "Sign-in error": "Gwall mewngofnodi",
    "Sign-in stopped unexpectedly (%1). Try again or contact IT.": (
        "Daeth y mewngofnodi i ben yn annisgwyl (%1). Rhowch gynnig arall arni neu cysylltwch â TG."
    ),
    "Sign-in progress": "Cynnydd mewngofnodi",
    "Sign &in": "&Mewngofnodi",
    "Sign in": "Mewngofnodi",
    "Signing in…": "Wrthi'n mewngofnodi…",
    "Sync status": "Statws cysoni",
    "Sync progress": "Cynnydd cysoni",
    "Send and receive changes now (Ctrl+R or F5)": "Anfon a derbyn newidiadau nawr (Ctrl+R neu F5)",
    "Online": "Ar-lein",
    "Offline: working from this laptop": "All-lein: yn gweithio o'r gliniadur hwn",
    "%n change(s) waiting to sync": "Newidiadau yn aros i gysoni: %n",
    "Never synced": "Heb gysoni erioed",
    "Last synced %1": "Cysonwyd ddiwethaf %1",
    "No conflicts": "Dim gwrthdaro",
    "Syncing": "Yn cysoni",
    "Syncing…": "Yn cysoni…",
    "Sending %1": "Yn anfon %1",
    "Receiving %1": "Yn derbyn %1",
    "Starting afresh %1": "Yn dechrau o'r newydd %1",
    "Tidying up %1": "Yn tacluso %1",
    "Synced: %1 sent, %2 received": "Wedi cysoni: %1 wedi'u hanfon, %2 wedi'u derbyn",
}


def main() -> int:
    tree = ET.parse(TS)  # noqa: S314 (our own file, from the repository)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        welsh = WELSH.get(source)
        if welsh is None:
            missing.append(source)
            continue
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            forms = translation.findall("numerusform") or []
            if not forms:
                forms = [ET.SubElement(translation, "numerusform") for _ in range(6)]
            for form in forms:
                form.text = welsh
        else:
            translation.text = welsh
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    # Screens beyond the shell may not be translated yet: they show in English until they are.
    for source in missing:
        print(f"no Welsh yet (shown in English): {source!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
