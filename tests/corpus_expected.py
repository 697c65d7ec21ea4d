"""What each file of the real-export corpus (../shared/vcards) must import as, checked by reading the file."""

from __future__ import annotations

# One (name, phone count, email count) per card that must import, in order of the card's BEGIN line.
# Names follow the project's naming rule: FN fully unescaped; else N as prefix, given, additional,
# family, suffix; else the first ORG component; else the first email; else the first phone; else
# "(no name)". Phones are deduplicated by exact trimmed value, emails case-insensitively.
EXPECTED: dict[str, list[tuple[str, int, int]]] = {
    # --- android-vcard (AOSP vCard tests) ---
    # Name from N (family only); the ADR continued with trailing backslashes adds no phone or email.
    "android-vcard/v21_adr_multiple_line.vcf": [("bogus", 0, 0)],
    # Only X-ANDROID-CUSTOM lines and no VERSION: content but no name source.
    "android-vcard/v21_android_custom_prop.vcf": [("(no name)", 0, 0)],
    # FN:A;B\C\;D:E\\ fully unescaped: `\;` -> `;`, `\\` -> `\`; the unknown escape `\C` is kept as
    # written. Judgement call: a 2.1 reader that never unescapes would give `A;B\C\;D:E\\`.
    "android-vcard/v21_backslash.vcf": [("A;B\\C;D:E\\", 0, 0)],
    "android-vcard/v21_base64_no_2_crlf.vcf": [("fullname", 0, 0)],
    "android-vcard/v21_blackberry_photo.vcf": [("boogie", 2, 1)],
    # FN "Joe Due" wins over N; five TEL lines, EMAIL;PREF and EMAIL;CELL.
    "android-vcard/v21_complicated.vcf": [("Joe Due", 5, 2)],
    # The nickname sits in X-ANDROID-CUSTOM and the address in X-GOOGLE-TALK: neither is a name source.
    "android-vcard/v21_im.vcf": [("(no name)", 0, 0)],
    # `#` lines are junk inside the card; the QP NOTE soft break swallows line 8.
    "android-vcard/v21_invalid_comment_line.vcf": [("Conference Call", 0, 0)],
    # The EMAIL value is continued on a line indented with two spaces: still one email.
    "android-vcard/v21_invalid_multiple_line.vcf": [("Omega", 0, 1)],
    # Raw Shift_JIS bytes, no FN: the name is N's family component.
    "android-vcard/v21_japanese_1.vcf": [("安藤ロイド", 1, 0)],
    "android-vcard/v21_japanese_2.vcf": [("安藤 ロイド 1", 0, 0)],
    # 能 is 0x94 0x5C in Shift_JIS: its trail byte is a backslash.
    "android-vcard/v21_japanese_3.vcf": [("伊能 圭一 伊予", 0, 0)],
    # The PHOTO value is not valid base64: the photo may be lost, the card may not.
    "android-vcard/v21_malformed_photo.vcf": [("fullname", 0, 0)],
    "android-vcard/v21_multiple_entry.vcf": [
        ("安藤ロイド3", 4, 0),
        ("安藤ロイド4", 4, 0),
        ("安藤ロイド5", 4, 0),
    ],
    "android-vcard/v21_nest.vcf": [("parent", 1, 0), ("nest1", 0, 0), ("nest2", 0, 0)],
    "android-vcard/v21_org_before_title.vcf": [("Normal Guy", 0, 0)],
    "android-vcard/v21_pref_handling.vcf": [("Smith", 3, 2)],
    # N:Ando;Roid; is family "Ando", given "Roid".
    "android-vcard/v21_simple_1.vcf": [("Roid Ando", 0, 0)],
    "android-vcard/v21_simple_2.vcf": [("Ando Roid", 0, 0)],
    "android-vcard/v21_simple_3.vcf": [("Ando Roid", 0, 0)],
    # X-SIP is not TEL.
    "android-vcard/v21_sip.vcf": [("Android", 0, 0)],
    "android-vcard/v21_title_before_org.vcf": [("Nice Guy", 0, 0)],
    "android-vcard/v21_winmo_65.vcf": [("Example", 0, 0)],
    "android-vcard/v21_x_android_custom_after_photo.vcf": [("Roid Ando", 0, 0)],
    "android-vcard/v21_x_param.vcf": [("Roid Ando", 2, 2)],
    # N:F;G;M;; is family F, given G, additional M.
    "android-vcard/v30_comma_separated.vcf": [("G M F", 1, 0)],
    # iOS 6.1.3: every line ends \r\r\n.
    "android-vcard/v30_ios_613_multiline.vcf": [("Bob Smith", 1, 1)],
    "android-vcard/v30_japanese.vcf": [("伊能 圭一 伊予", 0, 0)],
    "android-vcard/v30_multibyte_param.vcf": [("G M F", 1, 0)],
    # The pager "number" looks like an email address but is a TEL value.
    "android-vcard/v30_pager.vcf": [("G M F", 1, 0)],
    "android-vcard/v30_pause_wait.vcf": [("Pause Wait", 1, 0)],
    "android-vcard/v30_simple.vcf": [("And Roid", 1, 0)],
    # IMPP is not TEL.
    "android-vcard/v30_sip.vcf": [("Android", 0, 0)],
    # Two TEL lines with different values (tel:1 and a sip: URI): both count.
    "android-vcard/v40_sip.vcf": [("安藤 ロイド", 2, 0)],
    "android-vcard/v40_sort_as.vcf": [("安藤 ロイド", 0, 0)],
    # --- evolution-data-server ---
    "evolution-data-server/1.vcf": [("Frank Dawson", 2, 2)],
    "evolution-data-server/10.vcf": [("Frank Dawson", 2, 0)],
    "evolution-data-server/11.vcf": [("Invalid AttributeParam", 0, 0)],
    # Nokia QP: the FN value starts with a soft break.
    "evolution-data-server/12.vcf": [("Michael Brüning", 3, 1)],
    # Folded parameter lists (TAB and space); EMAIL `semicolon\;@points.net` is a second email.
    "evolution-data-server/13.vcf": [("Ralf Engels", 2, 2)],
    "evolution-data-server/2.vcf": [("Tim Howes", 2, 1)],
    "evolution-data-server/3.vcf": [("Nat", 2, 2)],
    "evolution-data-server/4.vcf": [("canada address", 0, 0)],
    # The four QP TEL lines all decode to the same text (十城目管理大型知座): one phone after dedup.
    "evolution-data-server/5.vcf": [("十城目管理大型知座", 1, 1)],
    "evolution-data-server/6.vcf": [("Frank Dawson", 2, 2)],
    # No BEGIN:VCARD at all: the whole file is a stretch outside any card (see PROBLEM_LINES).
    "evolution-data-server/7.vcf": [],
    # No END:VCARD: imported with a warning, not a problem.
    "evolution-data-server/8.vcf": [("Frank Dawson", 2, 2)],
    # Truncated after the TELs (last line is a bare `E`): imported with a warning.
    "evolution-data-server/9.vcf": [("Frank Dawson", 2, 0)],
    # N:Stirling;Lindsey; the TEL value is letters, still a phone.
    "evolution-data-server/custom-12.vcf": [("Lindsey Stirling", 1, 1)],
    "evolution-data-server/logo-1.vcf": [("logo", 0, 1)],
    "evolution-data-server/name-only.vcf": [("John Doe", 0, 0)],
    "evolution-data-server/photo-1.vcf": [("photo", 0, 1)],
    "evolution-data-server/simple-1.vcf": [("Foo Bar", 0, 1)],
    "evolution-data-server/sorted-5.vcf": [("First Name bäd", 1, 1)],
    # The TEL value is free text; it is still a non-blank TEL.
    "evolution-data-server/sorted-6.vcf": [("First Name Bäd", 1, 0)],
    "evolution-data-server/sorted-9.vcf": [("First Name côté", 1, 1)],
    # --- ez-vcard ---
    # Six cards. The first two have only an EMAIL, so the email is the name. The fifth card's three
    # TEL lines all read 123456 (one phone); its second EMAIL is QP text (14 × Ñ), still non-blank.
    "ez-vcard/John_Doe_ANDROID.vcf": [
        ("john.doe@company.com", 0, 1),
        ("jane.doe@company.com", 0, 1),
        ("Ñ Ñ Ñ Ñ Ñ", 1, 0),
        ("Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", 4, 0),
        ("Ñ Ñ Ñ Ñ", 1, 2),
        ("ÑÑÑÑ", 1, 1),
    ],
    "ez-vcard/John_Doe_BLACK_BERRY.vcf": [("John Doe", 1, 0)],
    "ez-vcard/John_Doe_EVOLUTION.vcf": [("Mr. John Richter, James Doe Sr.", 2, 1)],
    # Unescaped comma in FN: never truncated.
    "ez-vcard/John_Doe_GMAIL.vcf": [("Mr. John Richter, James Doe Sr.", 2, 1)],
    "ez-vcard/John_Doe_IPHONE.vcf": [("Mr. John Richter James Doe Sr.", 7, 1)],
    # PROFILE:VCard and many unusual properties, one card.
    "ez-vcard/John_Doe_LOTUS_NOTES.vcf": [("Mr. Doe John I Johny", 2, 2)],
    "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf": [("Mr. John Richter,James Doe Sr.", 7, 1)],
    # X-MS-IMADDRESS is not an email.
    "ez-vcard/John_Doe_MS_OUTLOOK.vcf": [("Mr. John Richter James Doe Sr.", 2, 1)],
    "ez-vcard/fullcontact.vcf": [("Prefix FirstName MiddleName LastName Suffix", 9, 5)],
    "ez-vcard/gmail-list.vcf": [
        ("Arnold Smith", 0, 1),
        ("Chris Beatle", 0, 1),
        ("Doug White", 0, 1),
    ],
    "ez-vcard/gmail-single.vcf": [("Greg Dartmouth", 2, 1)],
    "ez-vcard/gmail-single2.vcf": [("VCard Test", 11, 5)],
    "ez-vcard/issue114.vcf": [("Dummy, Dummy", 2, 1)],
    # TEL values are words (BusinessPhone, ...), all different.
    "ez-vcard/outlook-2003.vcf": [("John Doe III", 4, 1)],
    # X-MS-TEL is not TEL.
    "ez-vcard/outlook-2007.vcf": [("Mr. Michael Angstadt Jr.", 4, 1)],
    "ez-vcard/rfc2426-example.vcf": [("Frank Dawson", 2, 2), ("Tim Howes", 2, 1)],
    "ez-vcard/rfc6350-example.vcf": [("Simon Perreault", 2, 1)],
    "ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf": [("John Doe", 5, 5)],
    # --- jeroendesloovere-vcard ---
    # Eight identical people differing only in how NOTE is encoded.
    "jeroendesloovere-vcard/encoding.vcf": [("Thies-Tillman Jacobsen", 0, 0)] * 8,
    "jeroendesloovere-vcard/example2.vcf": [("Dr. John Doe", 2, 1)],
    "jeroendesloovere-vcard/invalid_encoding.vcf": [("Jeroen Desloovere", 0, 1)],
    # --- kcontacts (KDE) ---
    "kcontacts/testfullvcard.vcf": [("Sherlock Holmes", 3, 2)],
    "kcontacts/vcard1.vcf": [("Frank Dawson", 2, 2)],
    # The first card has neither FN nor N: its name is the ORG.
    "kcontacts/vcard10.vcf": [
        ("Bike Shop", 0, 0),
        ("Field after Address broken", 0, 0),
        ("Field after Address not broken", 0, 0),
        ("Dr. med. Surname Name", 0, 0),
        ("Second Doctor", 0, 0),
    ],
    "kcontacts/vcard11.vcf": [("Test User", 0, 2)],
    "kcontacts/vcard12.vcf": [("Good Looking", 0, 1)],
    "kcontacts/vcard13.vcf": [("Test User", 0, 2)],
    "kcontacts/vcard14.vcf": [("Test User", 0, 2)],
    "kcontacts/vcard15.vcf": [("Test Tester", 1, 0)],
    "kcontacts/vcard2.vcf": [("Tim Howes", 2, 1)],
    # Netscape: lower-case property names, VERSION in the middle.
    "kcontacts/vcard3.vcf": [("ian geiser", 0, 1)],
    # Judgement call: the bare line `FN` (no colon) is no FN, and `N:` is empty, so the name is the
    # ORG, whose only component keeps its unescaped comma.
    "kcontacts/vcard4.vcf": [("Ximian, Inc.", 2, 1)],
    # Unescaped comma in FN: never truncated.
    "kcontacts/vcard5.vcf": [("Mustermann, Heiko", 3, 2)],
    "kcontacts/vcard6.vcf": [("Test User", 0, 2)],
    # Only an empty N, a QP LABEL and a UID: content, but no name source.
    "kcontacts/vcard7.vcf": [("(no name)", 0, 0)],
    "kcontacts/vcard8.vcf": [("test", 0, 0)],
    # The folds split UTF-8 sequences; unfolded, FN is "βγδεαβγδ1" eleven times.
    "kcontacts/vcard9.vcf": [(
        "βγδεαβγδ1βγδεαβγδ1βγδεαβγδ1βγδεαβγδ1βγδεαβγδ1βγδεαβγδ1"
        "βγδεαβγδ1βγδεαβγδ1βγδεαβγδ1βγδεαβγδ1βγδεαβγδ1",
        0,
        0,
    )],
    "kcontacts/vcard_extension_case_normalization.vcf": [("My Name", 0, 0)],
    "kcontacts/vcard_legacy_messaging_fields.vcf": [("My Name", 0, 0)],
    "kcontacts/vcardwithitemasapplesupport.vcf": [("Name of Broken Card", 1, 0)],
    # --- khard ---
    "khard/altid.vcf": [("altid", 0, 0)],
    "khard/category.vcf": [("contact with category", 0, 1)],
    "khard/contact1.vcf": [("second contact", 1, 1)],
    "khard/korean-c.vcf": [("최유림", 0, 0)],
    "khard/korean-j.vcf": [("전도훈", 0, 0)],
    "khard/labels.vcf": [("labeled guy", 0, 0)],
    "khard/minimal.vcf": [("minimal contact", 0, 0)],
    # N but no FN.
    "khard/nickname.vcf": [("Michael Smith", 0, 1)],
    "khard/org.vcf": [("ACME Inc.", 0, 0)],
    "khard/photov3.vcf": [("with photo v3", 0, 0)],
    "khard/photov4.vcf": [("with photo v4", 0, 0)],
    "khard/post.vcf": [("With post address", 0, 0)],
    "khard/tel-value-uri.vcf": [("bug 195", 1, 0)],
    "khard/text-bday.vcf": [("text birthday", 0, 0)],
    # Ends after FN, without END:VCARD: imported with a warning.
    "khard/unparsable.vcf": [("second contact with minimal Vcard", 0, 0)],
    # --- l0b0-vcard (validator test files) ---
    # ` BEGIN:VCARD` (leading space) still opens a card.
    "l0b0-vcard/continuation_at_start.vcf": [("John Doe", 0, 0)],
    # Judgement call: every line, properties included, starts with `.` (an empty group); `.FN` is FN.
    "l0b0-vcard/dot_at_line_start.vcf": [("John Doe", 0, 0)],
    # BEGIN:VCARDinvalid opens nothing: the stretch up to END is a problem, not a card.
    "l0b0-vcard/invalid_begin.vcf": [],
    "l0b0-vcard/invalid_property_foo.vcf": [("John Doe", 0, 0)],
    "l0b0-vcard/invalid_value_count_wp.vcf": [("Forrest Gump", 2, 1)],
    # Bare CR line endings.
    "l0b0-vcard/line_ending_mac.vcf": [("John Doe", 0, 0)],
    "l0b0-vcard/line_ending_mixed.vcf": [("John Doe", 0, 0)],
    "l0b0-vcard/line_ending_unix.vcf": [("John Doe", 0, 0)],
    "l0b0-vcard/maximal.vcf": [("John Doe", 2, 1)],
    # Group prefixes (TEST., ERROR.) do not hide FN.
    "l0b0-vcard/mismatch_group.vcf": [("John Doe", 0, 0)],
    # No END:VCARD: imported with a warning.
    "l0b0-vcard/missing_end.vcf": [("John Ottoman Doe", 0, 0)],
    # N:Doe;John;;Mr; is family Doe, given John, prefix Mr.
    "l0b0-vcard/missing_fn.vcf": [("Mr John Doe", 0, 0)],
    "l0b0-vcard/missing_group.vcf": [("John Doe", 0, 0)],
    # The bare line `N` is junk; FN is there.
    "l0b0-vcard/missing_n_value.vcf": [("John Doe", 0, 0)],
    "l0b0-vcard/missing_param_value.vcf": [("John Doe", 0, 0)],
    # BEGIN and END only: an empty card, skipped and reported.
    "l0b0-vcard/missing_properties.vcf": [],
    # No BEGIN:VCARD: a stretch outside any card.
    "l0b0-vcard/missing_start.vcf": [],
    "l0b0-vcard/missing_version.vcf": [("John Ottoman Doe", 0, 0)],
    "l0b0-vcard/scrambled_case.vcf": [("John Doe", 0, 0)],
    # --- radicale ---
    # Neither N nor FN nor ORG: the first email is the name.
    "radicale/broken-vcard.vcf": [("test-misses-N-or-FN@example.com", 0, 1)],
    "radicale/broken-vcards2-no_uid.vcf": [
        ("Test Example", 0, 1),
        ("test-misses-N-or-FN@example1.com", 0, 1),
    ],
    "radicale/contact2-with-bday.vcf": [("Test-FN", 0, 0)],
    "radicale/contact4-with-bday-no-year.vcf": [
        ("Test bday without year Thunderbird CardBook", 0, 0),
    ],
    "radicale/contact_multiple.vcf": [("Contact1", 0, 0), ("Contact2", 0, 0)],
    "radicale/contact_photo_with_data_uri.vcf": [("Contact", 0, 0)],
    "radicale/contact_photo_with_data_uri_v4.vcf": [("Contact", 0, 0)],
    "radicale/vcard-quoted-printable1.vcf": [("黄世勇", 0, 0)],
    # --- sabre-vobject ---
    "sabre-vobject/issue153.vcf": [("Test Benutzer", 0, 0)],
    # Only a PHOTO: content, but no name source.
    "sabre-vobject/issue64.vcf": [("(no name)", 0, 0)],
    # --- syncevolution ---
    # Nine TEL values, all words ("business 1", "mobile", ...), all different.
    "syncevolution/Google-Gmail.vcf": [("Mr. John 1 Doe Sr.", 9, 3)],
    # --- vobject ---
    "vobject/radicale-1587.vcf": [("Given Family", 0, 0)],
}

# 1-based file line numbers where the importer must report a card or a stretch of the file it could
# NOT import. Files with none are omitted. Cards imported with a warning (no END:VCARD) are not here.
PROBLEM_LINES: dict[str, list[int]] = {
    # Lines 1-11 (VERSION .. END:vCard) lie outside any card.
    "evolution-data-server/7.vcf": [1],
    # BEGIN:VCARDinvalid .. END:VCARD (lines 1-5) lie outside any card.
    "l0b0-vcard/invalid_begin.vcf": [1],
    # An empty card (BEGIN at line 1, END at line 2).
    "l0b0-vcard/missing_properties.vcf": [1],
    # Lines 1-4 (VERSION .. END:VCARD) lie outside any card.
    "l0b0-vcard/missing_start.vcf": [1],
}
