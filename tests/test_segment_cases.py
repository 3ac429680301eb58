"""Hard cases for sentence splitting, each with the split a translator expects.

Written for this project (none comes from a real article). One row: a paragraph and
its sentences; `|` separates the expected units.
"""

import pytest

from transflow import document as d
from transflow.readers import read
from transflow.segment import segment, split_sentences

CASES = [
    # abbreviations: titles, countries, organisations
    ("Dr. Lee met Mr. Kim at the border. They spoke briefly.",
     "Dr. Lee met Mr. Kim at the border.|They spoke briefly."),
    ("The U.S. and the U.N. agreed on a text. Talks resume in Geneva.",
     "The U.S. and the U.N. agreed on a text.|Talks resume in Geneva."),
    ("She moved to the U.S. in 2019. Her parents stayed behind.",
     "She moved to the U.S. in 2019.|Her parents stayed behind."),
    ("He now lives in the U.S. His sister lives in Canada.",
     "He now lives in the U.S.|His sister lives in Canada."),
    ("Officials in the U.K. They declined to comment on the plan.",
     "Officials in the U.K.|They declined to comment on the plan."),
    ("The D.P.R.K. rejected the report. Seoul welcomed it.",
     "The D.P.R.K. rejected the report.|Seoul welcomed it."),
    ("U.S. President Carla Mendes met U.N. envoys on Tuesday.",
     "U.S. President Carla Mendes met U.N. envoys on Tuesday."),
    ("The U.S.-led coalition met again. It reached no deal.",
     "The U.S.-led coalition met again.|It reached no deal."),
    ("Gen. Park and Lt. Col. Choi arrived late. Sen. Alvarez spoke first.",
     "Gen. Park and Lt. Col. Choi arrived late.|Sen. Alvarez spoke first."),
    ("Prof. Yoon, Ph.D., opened the session. Questions followed.",
     "Prof. Yoon, Ph.D., opened the session.|Questions followed."),
    ("The St. Louis office closed. St. Agnes school stayed open.",
     "The St. Louis office closed.|St. Agnes school stayed open."),
    ("Mrs. Choi (née Park) sat down. Mr. and Mrs. Lim followed her.",
     "Mrs. Choi (née Park) sat down.|Mr. and Mrs. Lim followed her."),
    ("The deal was signed in Washington D.C. on Monday. Both sides cheered.",
     "The deal was signed in Washington D.C. on Monday.|Both sides cheered."),
    ("They flew to the U.K. and then to Norway. The trip took a week.",
     "They flew to the U.K. and then to Norway.|The trip took a week."),
    ("Shares of Hanbit Corp. rose sharply. Analysts were surprised.",
     "Shares of Hanbit Corp. rose sharply.|Analysts were surprised."),
    # abbreviations before numbers, dates and times
    ("The hearing is on Jan. 5 in Room No. 5. Bring your badge.",
     "The hearing is on Jan. 5 in Room No. 5.|Bring your badge."),
    ("The vol. 3 edition is out. Read it online.",
     "The vol. 3 edition is out.|Read it online."),
    ("Approx. 600 people were returned. Most were women.",
     "Approx. 600 people were returned.|Most were women."),
    ("Art. 33 of the convention applies. No state may return a refugee.",
     "Art. 33 of the convention applies.|No state may return a refugee."),
    ("See p. 12 and pp. 14-16 of the annex. The data are clear.",
     "See p. 12 and pp. 14-16 of the annex.|The data are clear."),
    ("The No. 1 priority is safety. No one disagrees.",
     "The No. 1 priority is safety.|No one disagrees."),
    ("No. The claim is not true.",
     "No.|The claim is not true."),
    ("Sept. 11 changed the region. Oct. 3 is a holiday in Korea.",
     "Sept. 11 changed the region.|Oct. 3 is a holiday in Korea."),
    ("The ferry left at 9 p.m. Friday and docked at dawn.",
     "The ferry left at 9 p.m. Friday and docked at dawn."),
    ("The raid began at 4 a.m. The police arrived an hour later.",
     "The raid began at 4 a.m.|The police arrived an hour later."),
    ("Dr. Lim met Mr. Yoo at 5 p.m. on Friday. They talked for an hour.",
     "Dr. Lim met Mr. Yoo at 5 p.m. on Friday.|They talked for an hour."),
    ("Fig. 3 shows the trend. Table 2 lists the data.",
     "Fig. 3 shows the trend.|Table 2 lists the data."),
    ("It ended 5 vs. 3 after extra time. Fans were stunned.",
     "It ended 5 vs. 3 after extra time.|Fans were stunned."),
    # e.g., i.e., et al.
    ("Some groups, e.g. those in Seoul, want talks. Others do not.",
     "Some groups, e.g. those in Seoul, want talks.|Others do not."),
    ("Larger groups, i.e. the national ones, refused. Smaller ones agreed.",
     "Larger groups, i.e. the national ones, refused.|Smaller ones agreed."),
    ("He cited Moreau et al. in his brief. The judges agreed.",
     "He cited Moreau et al. in his brief.|The judges agreed."),
    # decimals, thousands, money, versions, addresses
    ("About 2,000 people crossed last year. Prices rose 3.5 percent.",
     "About 2,000 people crossed last year.|Prices rose 3.5 percent."),
    ("The bill came to $1,250.75 in total. Nobody paid it.",
     "The bill came to $1,250.75 in total.|Nobody paid it."),
    ("He earned 3.5m won in 2022. That is about $2,600.",
     "He earned 3.5m won in 2022.|That is about $2,600."),
    ("The figure rose to 1.2 million. Officials were alarmed.",
     "The figure rose to 1.2 million.|Officials were alarmed."),
    ("Version 2.0 fixed the bug. Version 2.1 broke it again.",
     "Version 2.0 fixed the bug.|Version 2.1 broke it again."),
    ("Inflation fell to 0.5% in May. Rates stayed at 3.25%.",
     "Inflation fell to 0.5% in May.|Rates stayed at 3.25%."),
    ("Write to help@example.org for details. We answer within a day.",
     "Write to help@example.org for details.|We answer within a day."),
    ("The form is at www.example.com/forms. It takes ten minutes.",
     "The form is at www.example.com/forms.|It takes ten minutes."),
    # initials
    ("J. R. Mendes wrote the report. K. Lim edited it.",
     "J. R. Mendes wrote the report.|K. Lim edited it."),
    ("Carla W. Mendes visited Seoul. She left on Sunday.",
     "Carla W. Mendes visited Seoul.|She left on Sunday."),
    # ellipses
    ("She paused... Then she went on.",
     "She paused...|Then she went on."),
    ("She paused ... and went on speaking.",
     "She paused ... and went on speaking."),
    ("\"I don't know...\" she said. The room was silent.",
     "\"I don't know...\" she said.|The room was silent."),
    ("The list grew longer… Nobody stopped it.",
     "The list grew longer…|Nobody stopped it."),
    # quotations and sentences ending inside quotes
    ("He said, \"We are not traitors.\" Then he left.",
     "He said, \"We are not traitors.\"|Then he left."),
    ("\"We are not traitors,\" he said. \"We want to live.\"",
     "\"We are not traitors,\" he said.|\"We want to live.\""),
    ("\"Is this fair?\" she asked. Nobody answered.",
     "\"Is this fair?\" she asked.|Nobody answered."),
    ("\"We fled in winter. We had nothing,\" she said. Her son nodded.",
     "\"We fled in winter. We had nothing,\" she said.|Her son nodded."),
    ("“We fled in winter. We had nothing,” she said. Her son nodded.",
     "“We fled in winter. We had nothing,” she said.|Her son nodded."),
    ("The title was \"Why now?\" and it sold well.",
     "The title was \"Why now?\" and it sold well."),
    ("They chanted \"Go home!\" and marched on. The police watched.",
     "They chanted \"Go home!\" and marched on.|The police watched."),
    ("She said: \"No.\" He said: \"Yes.\"",
     "She said: \"No.\"|He said: \"Yes.\""),
    # nested quotations
    ("He asked, \"Did she say 'leave now'?\" Nobody knew.",
     "He asked, \"Did she say 'leave now'?\"|Nobody knew."),
    ("'They told us, \"Go home.\" We refused,' she said. Then she cried.",
     "'They told us, \"Go home.\" We refused,' she said.|Then she cried."),
    ("\"The guard shouted, 'Stop. Turn around.' I ran,\" he recalled. He was 17.",
     "\"The guard shouted, 'Stop. Turn around.' I ran,\" he recalled.|He was 17."),
    ("The refugees' lawyers won. Their clients' cases are closed.",
     "The refugees' lawyers won.|Their clients' cases are closed."),
    ("'We don't know,' she said. 'We can't go back.'",
     "'We don't know,' she said.|'We can't go back.'"),
    # brackets
    ("The report (published in Nov. 2023) was clear. It was ignored.",
     "The report (published in Nov. 2023) was clear.|It was ignored."),
    ("(The vote was delayed. It resumes today.) The crowd left.",
     "(The vote was delayed. It resumes today.)|The crowd left."),
    # colons, dashes, question and exclamation marks
    ("North Korean defector: 'We are not traitors'",
     "North Korean defector: 'We are not traitors'"),
    ("The verdict: guilty. The sentence: ten years.",
     "The verdict: guilty.|The sentence: ten years."),
    ("What now? Nobody knows! Wait.",
     "What now?|Nobody knows!|Wait."),
    ("Really?! He could not believe it.",
     "Really?!|He could not believe it."),
    ("The camp — officials deny it exists — holds 300 people. Few leave.",
     "The camp — officials deny it exists — holds 300 people.|Few leave."),
    # numbers at sentence ends and starts
    ("The vote was 120 to 5. It passed.",
     "The vote was 120 to 5.|It passed."),
    ("He was born in 1990. In 2010 he left.",
     "He was born in 1990.|In 2010 he left."),
    ("The team scored 3-1. 2023 was their best year.",
     "The team scored 3-1.|2023 was their best year."),
    # enumerators inside a sentence (licences, contracts) and items after one
    ("The libraries include anything that (a) is packaged with it, and (b) serves only that use. It ends.",
     "The libraries include anything that (a) is packaged with it, and (b) serves only that use.|It ends."),
    ("He listed two things. (a) The first one. (b) The second one.",
     "He listed two things.|(a) The first one.|(b) The second one."),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_hard_case(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected.split("|")


def test_there_are_enough_cases():
    assert len(CASES) >= 60


def test_hard_wrapped_lines_split_as_one_paragraph():
    text = "Dr. Lee met Mr. Kim at the\nborder. They spoke\nbriefly."
    assert [text[s:e] for s, e in split_sentences(text)] == ["Dr. Lee met Mr. Kim at the\nborder.", "They spoke\nbriefly."]


def _units(tmp_path, text, name="a.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [(u.kind, u.text) for u in segment(read(path))]


def test_nothing_is_merged_across_heading_caption_byline(tmp_path):
    units = _units(tmp_path, (
        "Skip to content\n"
        "WorldAsia\n\n"
        "Defectors: 'We are not traitors'\n\n"
        "March 3, 2024\n\n"
        "The U.S. State Dept. said so. Officials agreed\n\n"
        "Photo: A bridge over the river\n"
        "Guards watch the crossingImage: Example Agency/picture desk\n\n"
        "By Mina Okafor\n"
    ))
    assert units == [
        (d.HEADING, "WorldAsia"),
        (d.HEADING, "Defectors: 'We are not traitors'"),
        (d.BYLINE, "March 3, 2024"),
        (d.PARAGRAPH, "The U.S. State Dept. said so."),
        (d.PARAGRAPH, "Officials agreed"),
        (d.CAPTION, "Photo: A bridge over the river"),
        (d.CAPTION, "Guards watch the crossing"),
        (d.CREDIT, "Image: Example Agency/picture desk"),
        (d.BYLINE, "By Mina Okafor"),
    ]


def test_author_box_at_the_end_is_a_byline(tmp_path):
    units = _units(tmp_path, (
        "A title here\n\nA sentence of the body. Another one.\n\n"
        "Edited by: Ana Lima\n\nMina Okafor\nMina Okafor Reporter based in Lagos, covering trade\n"
    ))
    assert units[-3:] == [
        (d.BYLINE, "Edited by: Ana Lima"),
        (d.BYLINE, "Mina Okafor"),
        (d.BYLINE, "Mina Okafor Reporter based in Lagos, covering trade"),
    ]


def test_portuguese_rules():
    text = "O Sr. Lima chegou às 9h. A Dra. Souza saiu cedo. Veja o art. 5 da lei."
    assert [text[s:e] for s, e in split_sentences(text, "pt")] == [
        "O Sr. Lima chegou às 9h.", "A Dra. Souza saiu cedo.", "Veja o art. 5 da lei."]
