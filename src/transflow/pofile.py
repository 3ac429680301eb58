"""PO and POT files, written byte for byte as GNU gettext writes them.

Desks keep PO files in git and edit them in Poedit or Weblate, whose saving
goes through gettext's own writer (``msgcat``, ``msgmerge``).  polib wraps
lines its own way, so every round trip through gettext would rewrite dozens
of lines.  :func:`dumps` reproduces ``write-po.c`` of GNU gettext 0.21 with
its default options (page width 79) and the line breaking of libunistring
1.0 (``ulc_width_linebreaks``, Unicode 14 UAX #14 classes and ``uc_width``
column widths), so that ``msgcat FILE`` gives back exactly the bytes
transflow wrote.

What gettext normalises, :func:`dumps` normalises the same way:

* a ``fuzzy`` flag on an entry whose (first) msgstr is empty is dropped;
* flags are printed in gettext's order (fuzzy, the ``*-format`` flags in
  gettext's language order, ``range:``, ``no-wrap``); flags gettext does not
  know (and ``wrap``) are dropped, as msgcat drops them;
* references lose a leading ``./``, line numbers are printed as integers and
  exact duplicates are dropped;
* obsolete entries go to the end, and an obsolete entry with an empty msgstr
  is not written at all.

Strings are assumed to be UTF-8 (transflow reads and writes nothing else).
gettext never breaks a line inside a format directive; that is reproduced for
``c-format``, ``python-format`` and ``python-brace-format`` entries (formats.py).
Entries flagged with another format language are wrapped as plain text, which
differs from gettext only when a break falls inside one of their directives.
Obsolete entries keep their flags (format, ``no-wrap``), as msgcat and msgmerge
keep them. A file with CRLF line ends is read as if it had LF ones and written with
LF (msgcat would keep the CR at the end of each comment line).
"""

import base64
import functools
import itertools
import re
import zlib
from pathlib import Path

import polib

from . import atomic, formats, inputs, posyntax
from .errors import InputError

__all__ = ["PAGE_WIDTH", "dumps", "load", "loads", "write"]

PAGE_WIDTH = 79

# ---------------------------------------------------------------------------
# Unicode data, as compiled into libunistring 1.0 (Debian 12's libunistring2).
#
# Line breaking classes (libunistring's LBP_* numbering) and uc_width() + 1 of
# every code point U+0000..U+10FFFF, as runs: a class byte, then the run
# length as an LEB128 varint; zlib, then base85.  Regenerate and verify with
# the helpers in tests/test_pofile.py, which read them from libunistring.
# ---------------------------------------------------------------------------
_LINEBREAK_BLOB = (
    "c-rk*JFI3^6=pxq`~2sB+;#6h_x1mGhJ9zwzvhiFGa?f%ASeNWVi2Y=B!e~<7LZujOcX=mBO0Owg"
    "%%QO6B7v?F&YYuS}0OjU}a$;m0B3^TkD*Ax$}@{KgIg@K6~%A_ImBL*Is`toVn8+u}4ju9W#Y#44"
    "Ijk;<qui$@FV%62OX?lw(V-Ftk}?6m#3PaVEu@m>w~4!vJGyW{yl}0ZPjmvKYgN$5)p$rgOES&>3"
    "0)e&;&lF$BOuK-PIdC5+NeeA1W*F5-xCw&cecXHOYRYlr~vnV8Y*@^uU=&W^DmT06r?JmpLj=Bz-"
    "0KIdDT?6*8wuBezgh+|_VGlioQadlEo%>*I>>uMpG8Rk=fPyp7X)IBZc=W!GJT!|GpX)t~y7Q&xk"
    "G3IBM)_`F!Y9bU86RaKscRf1vgx`u2S_m~xV@@1ftU5yHb@fd5E~9m_=M*?bHDCd2==U0M<Yg~ei"
    "xzW&%Xt(XS*&m}27EiUluXr>!n>@)Y^tk1qGu04)(FSGr^(O<XV^>j%qHMUHDtI{I)&^6I7}xQ_{"
    "u@YDTvHtvI9rp1Qg*m{rpX`9j0+08)ty)CCkA>?+YokA(T8?JNSpyzKlDnAx#2Fgd4Biq_MYLF_Y"
    "CvOhB!dBmgD{yPE+gi@LMo+I>klgP#@={(BvEc^&_UDWtuQ2W;VS1V7o=;Zi;A00XmLbzKhf7E_V"
    "5*VznGwS)eJqfG7ORi|RVoKx(ezRUIUUiLGy91{+)v%I?m7fY;KCV+P62e$ex{Z#q0OV2wvi|}M`"
    "4Zs;=io{^YLajj9gUaEYDbxrE0+<txL~zt#K5;UV#0s26HV&9kWg#n6p})ikUwgtId1;p^&a~P_<"
    "vY9n+{R}&pQT6D%Jv`%NPjuBM{Y4Er|y$O|DpbjASi7@dmFIE=P?RdG4i3u&xWv$smGkd0nKOzvl"
    "X-w9h6q!%W_Sl-dNIKUUs&E!kk7rD7ZIkN&>dP@s+4oh*6=rXmsuh=q6Cc(bx<32$vEFqPQqP4t4"
    "=5%ek7PTApOT+z?~JFm7q-f(8@2ydP%T7AF&`0?P(p3qA)|J`<-<zf)xz=ixvF6_7!K(H!Aaoatn"
    "2IHxWWJC^_-2L+=M7zH>yfjue&6A4GF<i%J~9M>t&Z<)A9KeWB_H1tZF4{G0s1;*|{D<)`kjiD8^"
    ";=Xclu*PM^IJXPk%%M?nFK4aZAC0X|gS(=UFIzf?TPni!rn$^@rUJdOx>|+ftrmdpoV!CzZDJ__1"
    "s6#!E964K#iD)eJz_V@a4R(c56~M5FpftMq@09GU`SiYwS)jsf`=Ua4s9}ARi>-ScO{MGo27TL>o"
    "HGg3ps^zq12Dh^i~9p;QN7wK&owmF%OJ#z>s}LN<r3Ih1t-KhBXyn9dM>J)b1ZWO64LAST&NbUzy"
    "<P6TA*{u693`{T|0YyTF|&?NV>+4D$7~{Xy%LM_Drgh%P3<t7KN?z?y)S0W^bK80@$noXRKiY%5*"
    "K22AKPf?obH*3Z%34t3{yT&%F2>uCYppeOlCLn5;ar4e$%s)eUVMgAt0vjqxnU-DZ)H>Y!|mBp=Q"
    ">6MQ~zG?aW2fZEr{gdqy1QJU-@T+&_cvwyfxS>QyXReE27v;`Fe$qs_B?^sF9|LixX<RNCwWd*x6"
    "}XWj=OyRRV-DA}R(5t+)nn=?!pTiohL45~HsK1_;T^*p0g(r}oDGO)!HVD92se*b@@qpGVWVh5Qo"
    "(YJ(QqTI0~UwAQw6!yZ3Pbi-v5XZysYOWoB-=z09@v}ngm48&~<ru|2*x5AG{_A|3vf)7og<RP{4"
    "N(SkxL5$%dE^9wj#`kzrbTN^VG(AQb*u47Hy;B;3*@8ohoc`UON)w1|?q#0SLjyFDU2BBZ6e;*4{"
    "rksqmB={3#5R$CFHz#JjnH0#^Apgp#3D0Qw+r+|U8y#!lw@#6Y#z_IL@4+(;>=9X8vT_#lF61AH8"
    "lp1Y&_{fd!1FaXZqZx41RkOBv8*amGxDB`AHvB)p^+sU7d5&LtFkF+8ON|>b*+QPah3ESg-auQpv"
    "9@qiZrK4!dVweOH!B$iJ%!8ZyyQE0Kh{&ZMkiw=3u9cFk~);~{+@*7R*A;VNk_;4nz~n3629wJ;L"
    "#B@eGgLikZbg1BwKf2aRGFl=!w{#NT?)F!QAGk|K1*2&1M8N=P1J|tXm+9z&(2aj-9*}f}2^rb<6"
    "0EBUgp6HNH3WebbjO#u#h(D1D6+CuNIM$Q+*S-yTrP89Ier;_FC~@p+ENQC_4TujPW~NJ5U`iI<="
    "!ISXFUgi9TgG5yF4@5`u*J#|Q1?nZV|53j8K;z@Pg_e1oCJYUyXDkiNy!&oZ^4{H)3>CVZaULv9d"
    "-S;yfUGUjKpagGgCl6%JW%rQFdLpbn6Z@xdg4D(jRg7(|)=1KXhot18@Pj@0!ETg#M&eRfzkqi*m"
    "w_h>$t8uB3R4Y+pTZ0O0^TblKt_xQcn*<Yw^}S?)>opIi=I&F*J6cj*5suQ0>@|z=^c`5B;xnPv8"
    "2Sp=%m!QtB6`)-6`NWC)r%70<TM13l8ZhA_J2WiSNsXpnqrVi;+fYo<;WNHQ6?rLTWKfW}VZ5WJN"
    "PA^3_8^E~S_U4wWN%tCUXi$1`~CC%UiyuO%=u6omFmVEcuuL@Edvk)lt+-!c$(2FCnQ-|4F{j^|*"
    "QXwV>DiAt&P;H*F<>Bb}_zN1()b+UUU-1rf%&<Uv#XjS3-a+B?H%pN%^9v91;--NfsF&KHC_M|2S"
    "tK~ygEFTzewF)H+`k^iaR4zd75nX#+8OeIpL7Yv^#yc5_Ue)P`8F&wjbvjPuUE`$;GlGA-Y_;sQs"
    "|Chf)Atgrtg!P^n3{t)^axu%dZ5c=V99A=OsXJRPh8JZI;_}<$uOJrg--str4_Bhy<xO`xjpqX<q"
    "?j-s~LZZzQVF`MZYxs8=|Y=>|I~G6ke1bdXv)MrLpug>}@iwK)k)6-|9SlmEU}b-t=(v1?y`7c6g"
    "HeI*~|`IPuZ5F@yM})1s@E4MnO|c)<$)G@)nIcweN)^vs!ffirMD;=Rfn!xcno!oSXN9<HVIj$;l"
    "5|Mg*Y#z8sZCzelDj;9q|C4AfQOEda1s7tJpT9Cd&<lMni{~Y6KFedNU7x_N=hwyhC^Y=k(F0PT7"
    "b&l;X@hUy2)uLDBVAS*sFxL5HLr=2=7cDgRrBo^H<GUVCi7@rRP_WB~@2%nVBtzj_#{M9PugP2IF"
    "1qI91vv9vcsLo7_qCO?fVe6q9rN#V==U#uWp%2@W-v7W(MV(l&zVM6G4@*)0vMjc%i;8#%nZNRzq"
    "0&6Y?rDEb}v9_NuL&Xk^{oNw*38+J~i#DN1h*t9)8gyZVt$1h`8lIurHRS`p?GU;+eZ){f)3cw{J"
    "&(h@Q}%!hmj2*_7|b`tRCsvi0HlwhrUg0*u0LTXv)1x;feIUUKMN3Z}idy%AhHQjDU_f^D0Swy&D"
    "-O|viob`Al6lM<4J)B21>dwM4c4=ybFRajlDXjRB#+yFAE;Q$)om;n-**S-y(qby9Q2_tF)gNDc4"
    "s^Z&liSmGpD?A1|Zh;H3aTVUs;ZDp?Fjk<g1llA_S{FvGqZiwno(>+o*O0-qV?s+8+nmZar4H>JT"
    "CnXCR4@7pQ@+SUindskD$PaoFJX71V8T=-8HJ;C89Ho$onSA4tS!PeTG`(%Tw4b05%M-)V1`~1n_"
    "S>sIo9n5@U-y3hi>@&#<dR4HjmHoH51=A{Jnoy{{cbKA;k"
)
_WIDTH_BLOB = (
    "c-mD}OK4qH6zyL7-uv#mFYhHUHGh*P8Z{=Q`BYjPsSOsj2!aEvsDs8r90-L@bf5!YsUM1p1%E9LO"
    "i>34oj8#a>_l+js5o#^1wR94r86BkaP4(Zg2G*#efBx~zxTOjd-mbvo*A^w@MC6Y@II`8w_uAfvi"
    "Kz!?zaM!wM6f?Aq;Tcw37RR7vfHa8Oa!?Yy!{m?wU2x<bITAM%v7Y91C3Uqf9~hc{_|lNiO3)<LY"
    "#x;`t=$HSsf)TyG<9Tn+(;#fJdubJ>N~*6w*O|Fa}JOkXYOglyJ&8{CG>6zL;GAF(PwEcxch<$Jb"
    "!cgMGW(xLly*~I^RjXTGs-(~k%*=<mNiBqDR)K%ayk`pNhCYv4QDX!$o`K<Ezg7R31A2}G4J!dU4"
    "l@Q8l_+&Wc8@6TmC35q1I54RIYpg5&h8zVAgz`lie2LpTNWaYck=WoDq;J#~>xe^e$5Swp!YZ9D+"
    "diz&lVzRdI?stYM%l-!(>$v?#o0}DcX`V08ui54#kxh>GLp%9lmYnOY#nb$LC1*|sjskMGx#!dpi"
    "Nve&)_btI3L_0V%7VwK*nC8O_bzyiJU08&xs+T;n7CynWUg0nsw!RCsCid)+1a;xps&f1uq>)f|s"
    "1`zZ-#X*fe_PU%6%8rO-1B<BHSbt%F$i>sJh)x~f?*FTfMT1*DdXxW`m_!^ftcA5?wsW|qcSu8vP"
    "4EG?@7byn{oeJsslAbL2;yF?sFS%#F>^E}Tr&Tm>8hOj#5pFd5>5pGuS`a|B!G!wt&HsAxqI^N@T"
    "e;%)S1B29fHl%(J6(2^)-)yUVVI^bTT}r<Q#<wvS=OVY4j1feiyh{E->&LyRb1U9oNzv>$RA~|&v"
    "nqIr2Q{7G>(S&{rh6w9S=~?3E?cHNmKaJS89BX+{p3{govG96c^o00Om9M#-nyGH<VD&{5GN#1tA"
    "BB~?Q5Y;na<Si=b#r3=pm&z0=Qr)qS#EQ`pjvq--)JZ=bPG=^hd7oD(Kj-9*dnv_!aVe_ff7#@c8"
    "Zsu@OV__B@^V<}}@TfLAVtful6^xQF=`o$dJFOYFj*nwa+{{(P7tW2~j(@Xvrnwsx1y(%*4h-kTo"
    "wpJ#19sS#|&bJMf|c{at952CNO`|S_|Tvb3FVp!$s$Ms5%cK;JdjyGcS7xdO<__f8|Y2s>3=MOPn"
    "*Gw~5Vbd?Ok?E)TBg8Q21<qN{wW~>Ye^di$z8w-rIpGn{C>z-@u6M!kl%K#d6%-O6lgNokM}x}$F"
    "g_76y`R9BC|wa(4QFV_g$9~2aNeRAe}cSFc*zVkaK7?huf*Bjoc=x=9C^FNqW{zS7n^2mSp"
)

# libunistring's unilbrk_table (UAX #14 table 7.3): the row is the class before,
# the column the class after; D a break, I a break only after a space, P none.
_PAIRS = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
)

# Line breaking classes (libunistring 1.0 lbrktables.h).  Values < 33 index
# the pair table; the others are resolved before the table is consulted.
_WJ, _GL, _B2, _BA, _BB, _HY, _CL, _CP1, _CP2, _EX, _IN, _NS = range(12)
_OP1, _OP2, _QU, _IS, _NU, _PO, _PR, _SY, _AL, _H2, _H3, _ID1 = range(12, 24)
_ID2, _JL, _JV, _JT, _HL, _RI, _ZWJ, _EB, _EM = range(24, 33)
_BK, _CR, _LF, _CM, _ZW, _SP, _CB, _AI, _SA, _XX = range(33, 43)
_HL_BA = 100  # artificial: a Hebrew letter followed by a hyphen or BA

# UC_BREAK_* values, as in unilbrk.h.
_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY, _CR_BEFORE_LF = 0, 1, 2, 3, 5


def _runs(blob: str) -> bytes:
    data = zlib.decompress(base64.b85decode(blob))
    out = bytearray()
    i = 0
    while i < len(data):
        value = data[i]
        i += 1
        length = shift = 0
        while True:
            byte = data[i]
            i += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        out += bytes((value,)) * length
    if len(out) != 0x110000:
        raise AssertionError("corrupt Unicode table")
    return bytes(out)


@functools.cache
def _tables() -> tuple[bytes, bytes, tuple[bytes, ...]]:
    pairs = tuple(bytes(" DIP".index(c) for c in row) for row in _PAIRS)
    return _runs(_LINEBREAK_BLOB), _runs(_WIDTH_BLOB), pairs


def _possible_linebreaks(text: str) -> bytearray:
    """``u8_possible_linebreaks_v2`` (libunistring 1.0) for the UTF-8 encoding, one value per character.

    Text is walked a word (or a run of white space) at a time, and each word's
    values are remembered with the state it began in: prose repeats its words, and
    the walk a character at a time was most of the time of writing a PO file."""
    out = bytearray()
    state = _START
    cache = _WORD_BREAKS
    for word in _WORDS.findall(text):
        key = (state, word)
        known = cache.get(key)
        if known is None:
            if len(cache) >= _WORD_BREAKS_MAX:
                cache.clear()
            known = cache[key] = _walk(state, word)
        values, state = known
        out += values
    return out


_WORDS = re.compile(r"\s+|\S+")
_START = (_BK, _BK, False, 0)
_WORD_BREAKS: dict = {}
_WORD_BREAKS_MAX = 100_000


def _walk(state: tuple, word: str) -> tuple[bytes, tuple]:
    """The UAX #14 state machine over ``word``: its break values and the state after it.

    The state is (previous class, last non-space class, a space seen since, count of
    regional indicators in a row). A CR before an LF changes the CR's value; both are
    white space, so they always share a word."""
    lbprop, _, pairs = _tables()
    prev_prop, last_prop, seen_space, ri_count = state
    p = [_PROHIBITED] * len(word)
    for i, c in enumerate(word):
        prop = lbprop[ord(c)]
        if prop == _BK or prop == _LF or prop == _CR:
            p[i] = _MANDATORY
            if prev_prop == _CR and prop == _LF:
                p[i - 1] = _CR_BEFORE_LF
            prev_prop = prop
            last_prop = _BK
            seen_space = False
        else:
            if prop == _AI:
                prop = _AL  # not a CJK encoding
            elif prop == _CB:
                prop = _ID1
            elif prop == _SA or prop == _XX:
                prop = _AL
            if prop == _SP:
                p[i] = _PROHIBITED
                seen_space = True
            elif prop == _ZW:
                p[i] = _PROHIBITED
                last_prop = _ZW
                seen_space = False
            elif prop == _CM or prop == _ZWJ:
                if last_prop == _BK:
                    p[i] = _PROHIBITED
                    last_prop = _AL
                    seen_space = False
                elif last_prop == _ZW or seen_space:
                    p[i] = _POSSIBLE
                    last_prop = _AL
                    seen_space = False
                else:
                    p[i] = _PROHIBITED
            else:
                if last_prop == _BK:
                    p[i] = _PROHIBITED
                elif last_prop == _ZW:
                    p[i] = _POSSIBLE
                elif prev_prop == _ZWJ:
                    p[i] = _PROHIBITED
                elif last_prop == _RI and prop == _RI:
                    p[i] = _POSSIBLE if seen_space or ri_count % 2 == 0 else _PROHIBITED
                elif prev_prop == _HL_BA:
                    p[i] = _PROHIBITED
                else:
                    rule = pairs[last_prop][prop]
                    if rule == 1 or (rule == 2 and seen_space):
                        p[i] = _POSSIBLE
                    else:
                        p[i] = _PROHIBITED
                last_prop = prop
                seen_space = False
            prev_prop = _HL_BA if prev_prop == _HL and (prop == _HY or prop == _BA) else prop
        ri_count = ri_count + 1 if prop == _RI else 0
    return bytes(p), (prev_prop, last_prop, seen_space, ri_count)


def _width_linebreaks(text: str, possible: bytes, overrides: list[int], width: int,
                      start_column: int) -> list[int]:
    """``u8_width_linebreaks_v2`` with ``at_end_columns`` 0, one value per character."""
    out = [_PROHIBITED] * len(text)
    cuts, hard = _break_points(text, _overridden(possible, overrides), width, start_column)
    for i in cuts:
        out[i] = _POSSIBLE
    for i, brk in hard:
        out[i] = brk
    return out


def _overridden(possible: bytes, overrides: list[int]) -> bytes:
    if not any(overrides):  # all _UNDEFINED
        return possible
    return bytes(o if o != _UNDEFINED else b for o, b in zip(overrides, possible))


@functools.cache
def _one_column_each() -> re.Pattern:
    """Matches text whose every character takes one column (most Latin, Greek and
    Cyrillic text), whose columns need no summing."""
    _, widths, _ = _tables()
    ranges = [re.escape(chr(m.start())) + "-" + re.escape(chr(m.end() - 1)) for m in re.finditer(b"\x02+", widths)]
    return re.compile("[" + "".join(ranges) + "]*")


_BREAK_OPPORTUNITY = re.compile(b"[^%c]" % _PROHIBITED)


def _break_points(text: str, p: bytes, width: int, start_column: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Where ``u8_width_linebreaks_v2`` breaks ``text`` (``p`` its possible breaks,
    overrides applied): the offsets a line starts at, and the mandatory breaks.

    Only the places where a break may go are visited; the columns between them come
    from running sums of the character widths (a string is measured twice, first on
    the keyword line, then on its own: the possible breaks are the costly part and
    are computed once by the caller)."""
    n = len(text)
    if _one_column_each().fullmatch(text):
        columns = range(n + 1)
    else:
        _, widths, _ = _tables()
        columns = [0]
        columns += itertools.accumulate(w - 1 if w else 0 for w in map(widths.__getitem__, map(ord, text)))
    cuts: list[int] = []
    hard: list[tuple[int, int]] = []
    last_p = -1
    last_column = start_column
    piece_start = 0  # the current atomic piece of text runs from here
    for m in _BREAK_OPPORTUNITY.finditer(p):
        i = m.start()
        brk = p[i]
        if brk == _POSSIBLE or brk == _MANDATORY or brk == _CR_BEFORE_LF:
            # An atomic piece of text ends here: break before it if it overflows.
            if last_p >= 0 and last_column + columns[i] - columns[piece_start] > width:
                cuts.append(last_p)
                last_column = 0
            if brk == _POSSIBLE:
                last_column += columns[i] - columns[piece_start]
                last_p = i
                piece_start = i
            else:
                hard.append((i, brk))
                last_p = -1
                last_column = 0
                piece_start = i + 1
    if last_p >= 0 and last_column + columns[n] - columns[piece_start] > width:
        cuts.append(last_p)
    return cuts, hard


# ---------------------------------------------------------------------------
# Flags, as gettext's po_parse_comment_special reads them and write-po.c
# prints them.
# ---------------------------------------------------------------------------

# gettext 0.21's format_language[] order, which is the order flags are printed in.
_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")
_RANGE = re.compile(r"(\d+)\.\.(\d+)")


class _Flags:
    __slots__ = ("formats", "fuzzy", "range", "wrap")

    def __init__(self, flags) -> None:
        self.fuzzy = False
        self.formats: dict[str, str] = {}  # language -> "yes" | "no" | "possible" | "impossible"
        self.range: tuple[int, int] | None = None
        self.wrap = True
        tokens = [t for t in _FLAG_SEPARATORS.split(", ".join(flags)) if t]
        i = 0
        while i < len(tokens):
            token = tokens[i]
            i += 1
            if token == "fuzzy":
                self.fuzzy = True
            elif token.endswith("-format"):
                name, value = token[: -len("-format")], "yes"
                for prefix, kind in (("no-", "no"), ("possible-", "possible"), ("impossible-", "impossible")):
                    if name.startswith(prefix):
                        name, value = name[len(prefix):], kind
                        break
                if name in _FORMAT_LANGUAGES:
                    self.formats[name] = value
            elif token == "range:":
                if i < len(tokens):
                    m = _RANGE.fullmatch(tokens[i])
                    i += 1
                    if m and int(m.group(1)) <= int(m.group(2)):
                        self.range = (int(m.group(1)), int(m.group(2)))
            elif token == "wrap":
                self.wrap = True
            elif token == "no-wrap":
                self.wrap = False
            # Anything else is a flag gettext does not know; msgcat drops it.

    def line(self, msgstr0: str) -> str | None:
        words = []
        if self.fuzzy and msgstr0:
            words.append("fuzzy")
        for language in _FORMAT_LANGUAGES:
            value = self.formats.get(language)
            if value in ("yes", "possible"):
                words.append(f"{language}-format")
            elif value == "no":
                words.append(f"no-{language}-format")
        if self.range:
            words.append(f"range: {self.range[0]}..{self.range[1]}")
        if not self.wrap:
            words.append("no-wrap")
        return "#, " + ", ".join(words) if words else None

    def format_language(self) -> str | None:
        """The language whose directives must not be broken (gettext's possible_format_p)."""
        for language in _FORMAT_LANGUAGES:
            if self.formats.get(language) in ("yes", "possible"):
                return language
        return None


def _directive_interiors(value: str, language: str | None, translated: bool) -> frozenset[int]:
    """Positions in ``value`` before which gettext will not break (inside a format
    directive of ``language``: formats.py parses C, Python and Python brace formats;
    strings of the other languages are wrapped as plain text, which differs from
    gettext only where a line would break inside one of their directives)."""
    return frozenset(k for start, end in formats.directives(value, language, translated) for k in range(start + 1, end + 1))


# ---------------------------------------------------------------------------
# write-po.c
# ---------------------------------------------------------------------------

_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}
_NO_WRAP_WIDTH = 2**31 - 1  # INT_MAX


def _wrap(out: list[str], prefix: str, name: str, value: str, flags: _Flags) -> None:
    """write-po.c's wrap(): ``name "value"``, split after each ``\\n`` and at line breaks."""
    # gettext parses a msgstr as a translation, the rest as a msgid (write-po.c).
    interiors = _directive_interiors(value, flags.format_language(), name.startswith("msgstr"))
    after_break = len(prefix) + 1  # a continuation line starts with prefix and '"'
    width = (PAGE_WIDTH if flags.wrap else _NO_WRAP_WIDTH) - 1 - after_break
    first_line = True
    pos, n = 0, len(value)
    while True:
        end = value.find("\n", pos)
        end = n if end < 0 else end + 1
        text, overrides = _escaped(value, pos, end, interiors)
        possible = None
        while True:
            start_column = len(prefix) + (len(name) + 1 if first_line else 0) + 1 - after_break
            if start_column + len(text) <= width and text.isascii():
                # An ASCII character takes at most one column, so the line fits: no break.
                cuts = []
            else:
                if possible is None:
                    possible = _overridden(_possible_linebreaks(text), overrides)
                cuts, _ = _break_points(text, possible, width, start_column)
            if first_line and text and (end < n or start_column > width or cuts):
                # Would wrap: put an empty string on the keyword line, then start over.
                out.append(f'{prefix}{name} ""')
                first_line = False
                continue
            break
        head = f'{prefix}{name} "' if first_line else f'{prefix}"'
        first_line = False
        start = 0
        for cut in cuts:
            out.append(f'{head}{text[start:cut]}"')
            head = f'{prefix}"'
            start = cut
        out.append(f'{head}{text[start:]}"')
        pos = end
        if pos >= n:
            break


_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _escaped(value: str, pos: int, end: int, interiors: frozenset[int]) -> tuple[str, list[int]]:
    """``value[pos:end]`` as written between quotes, and the break override of each
    of its characters (no break inside a format directive or an escape sequence)."""
    piece = value[pos:end]
    if not interiors and not _NEEDS_ESCAPE.search(piece):
        return piece, [_UNDEFINED] * len(piece)
    chars: list[str] = []
    overrides: list[int] = []
    for k in range(pos, end):
        c = value[k]
        brk = _PROHIBITED if k in interiors else _UNDEFINED
        escaped = _ESCAPES.get(c)
        if escaped is None:
            chars.append(c)
            overrides.append(brk)
        else:
            chars += ("\\", escaped)
            overrides += (brk, _PROHIBITED)
    if end > pos and value[end - 1] == "\n":
        overrides[-2] = _PROHIBITED  # never break just before the final "\n"
    return "".join(chars), overrides


def _comment_lines(out: list[str], marker: str, text: str | None) -> None:
    if text:
        for line in text.split("\n"):
            if line.endswith("\\"):
                # gettext's reader joins a line ending in a backslash with the
                # next one; a trailing space (which polib strips) prevents it.
                line += " "
            out.append(f"{marker} {line}" if line else marker)


_LINE_NUMBER = re.compile(r"[0-9]+")


def _references(out: list[str], occurrences) -> None:
    """``#:`` lines: as many references as fit in the page width (counted in bytes, as gettext does)."""
    refs: list[str] = []
    seen = set()
    for item in occurrences or ():
        file, line = (item[0], item[1]) if len(item) > 1 else (item[0], None)
        number = None
        if line is not None and line != "":
            if _LINE_NUMBER.fullmatch(str(line)):
                number = int(line)  # gettext prints "a.md:007" as "a.md:7"
            else:
                file = f"{file}:{line}"  # not a line number to gettext: part of the name
        while file.startswith("./"):
            file = file[2:]
        # gettext drops a repeated reference when it reads the file, after
        # writing it without "./": so "./a.md:1" and "a.md:1" are one.
        if (file, number) in seen:
            continue
        seen.add((file, number))
        refs.append(file if number is None else f"{file}:{number}")
    if not refs:
        return
    line, column = "#:", 2
    for ref in refs:
        length = len(ref.encode("utf-8")) + 1
        if column > 2 and column + length > PAGE_WIDTH:
            out.append(line)
            line, column = "#:", 2
        line += " " + ref
        column += length
    out.append(line)


def _is_plural(entry: polib.POEntry) -> bool:
    return bool(entry.msgid_plural) or bool(entry.msgstr_plural)


def _msgstrs(entry: polib.POEntry) -> list[tuple[str, str]]:
    if not _is_plural(entry):
        return [("msgstr", entry.msgstr or "")]
    forms = entry.msgstr_plural or {0: "", 1: ""}
    return [(f"msgstr[{int(index)}]", forms[index] or "") for index in sorted(forms, key=int)]


def _entry(out: list[str], entry: polib.POEntry) -> None:
    obsolete = bool(entry.obsolete)
    flags = _Flags(entry.flags)
    msgstrs = _msgstrs(entry)
    _comment_lines(out, "#", entry.tcomment)
    _comment_lines(out, "#.", entry.comment)
    _references(out, entry.occurrences)
    flag_line = flags.line(msgstrs[0][1])
    if flag_line:
        out.append(flag_line)
    if entry.previous_msgid is not None:
        # (PO syntax has no previous msgctxt or msgid_plural without a previous msgid.)
        previous = "#~| " if obsolete else "#| "
        for name, value in (
            ("msgctxt", entry.previous_msgctxt),
            ("msgid", entry.previous_msgid),
            ("msgid_plural", entry.previous_msgid_plural),
        ):
            if value is not None:
                _wrap(out, previous, name, value, flags)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _wrap(out, prefix, "msgctxt", entry.msgctxt, flags)
    _wrap(out, prefix, "msgid", entry.msgid, flags)
    if _is_plural(entry):
        _wrap(out, prefix, "msgid_plural", entry.msgid_plural or "", flags)
    for name, value in msgstrs:
        _wrap(out, prefix, name, value, flags)


class _EmptyCommentLine(str):
    """``po.header`` of a file whose header comment is one bare ``#`` line.

    polib reads that line, and no comment at all, as ``""``; this empty string
    remembers the line, so that such files (polib itself writes them) are
    written back unchanged.  It survives ``new.header = old.header``.
    """


def _header_entry(po: polib.POFile) -> polib.POEntry:
    msgstr = "".join(f"{key}: {value}\n" for key, value in po.metadata.items())
    return polib.POEntry(
        msgid="",
        msgstr=msgstr,
        tcomment=po.header or "",
        flags=["fuzzy"] if po.metadata_is_fuzzy else [],
    )


def dumps(po: polib.POFile) -> str:
    """The text ``msgcat`` (GNU gettext 0.21, default options) would write for ``po``.

    The header entry comes first (``po.header`` as its comment, ``po.metadata``
    in its order, ``#, fuzzy`` if ``po.metadata_is_fuzzy``), then the entries
    in order, then the obsolete ones; entries are separated by an empty line.
    """
    blocks: list[list[str]] = []
    for entry in [_header_entry(po)] + [e for e in po if not e.obsolete]:
        lines: list[str] = []
        _entry(lines, entry)
        blocks.append(lines)
    if isinstance(po.header, _EmptyCommentLine) and not po.header:
        blocks[0].insert(0, "#")
    for entry in po:
        if entry.obsolete and _msgstrs(entry)[0][1]:  # gettext drops untranslated obsolete entries
            lines = []
            _entry(lines, entry)
            blocks.append(lines)
    return "\n\n".join("\n".join(lines) for lines in blocks) + "\n"


def write(po: polib.POFile, path: Path) -> None:
    """Write ``dumps(po)`` to ``path`` atomically: UTF-8, ``\\n`` line ends, a crash leaves the old file."""
    atomic.write_text(path, dumps(po))


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")


class _NewlineSeparated(str):
    """PO text whose lines polib splits at ``\\n`` only, as gettext does.

    polib splits text with ``str.splitlines()``, which also breaks at U+2028,
    U+0085, form feed and other separators that gettext keeps inside strings.
    """

    def splitlines(self, keepends=False):
        lines = self.split("\n")
        if keepends:
            lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
        return lines


def loads(text: str, path="<string>") -> polib.POFile:
    """Parse PO text with polib; :class:`InputError` with a ``file:line: message`` text if it is not PO syntax.

    Adds what polib drops and gettext keeps, so that ``dumps(loads(text))``
    gives back a gettext-written ``text``: the ``#~|`` previous msgid of
    obsolete entries, and a header comment that is a single bare ``#``.
    """
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")  # Windows line ends: the same file to gettext's reader
    posyntax.check(text, path)
    try:
        po = polib.pofile(_NewlineSeparated(text), wrapwidth=PAGE_WIDTH, encoding="utf-8")
    except (OSError, ValueError) as e:
        m = _POLIB_LINE.search(str(e))
        if m:
            raise InputError(f"{path}:{m.group(1)}: {m.group(2) or 'PO syntax error'}") from None
        raise InputError(f"{path}: {e}") from None
    _refuse_duplicates(po, path)
    if not po.header:
        first = next((line.strip() for line in text.lstrip("\ufeff").split("\n") if line.strip()), "")
        if first == "#":
            po.header = _EmptyCommentLine("")
    previous = _obsolete_previous(text) if "#~|" in text else {}
    for entry in po:
        found = previous.get((entry.msgctxt, entry.msgid)) if entry.obsolete else None
        if found and entry.previous_msgid is None:
            entry.previous_msgctxt = found.get("msgctxt")
            entry.previous_msgid = found.get("msgid")
            entry.previous_msgid_plural = found.get("msgid_plural")
    return po


def _refuse_duplicates(po: polib.POFile, path) -> None:
    """msgfmt rejects a file that defines one msgctxt+msgid twice (obsolete entries
    included); polib reads it, and a rewrite would keep one entry's translation and
    silently drop the other's."""
    first: dict[tuple, polib.POEntry] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in first:
            context = f" (msgctxt {entry.msgctxt!r})" if entry.msgctxt is not None else ""
            raise InputError(
                f"{path}:{entry.linenum}: duplicate message definition: msgid {entry.msgid[:60]!r}{context} is already "
                f"defined at line {first[key].linenum}; keep one of them in a PO editor, or run `msguniq --use-first`")
        first[key] = entry


_OBSOLETE_LINE = re.compile(r'#~(\|?)\s*(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)?\s*"(.*)"')


def _obsolete_previous(text: str) -> dict[tuple, dict[str, str]]:
    """(msgctxt, msgid) of each obsolete entry -> its ``#~|`` fields, which polib skips."""
    found: dict[tuple, dict[str, str]] = {}
    prev: dict[str, str] = {}
    cur: dict[str, str] = {}
    field = None
    for line in text.split("\n"):
        m = _OBSOLETE_LINE.fullmatch(line.strip())
        if m is None:
            if not line.lstrip().startswith("#"):  # a blank line or an active entry: a new entry
                prev, cur, field = {}, {}, None
            continue
        is_prev, keyword, value = m.group(1) == "|", m.group(2), polib.unescape(m.group(3))
        target = prev if is_prev else cur
        if keyword is None:
            if field is not None and field[0] == is_prev:
                target[field[1]] += value
        elif keyword.startswith("msgstr"):
            if prev.get("msgid") is not None and "msgid" in cur:
                found[(cur.get("msgctxt"), cur["msgid"])] = prev
            prev, cur, field = {}, {}, None
        else:
            target[keyword] = value
            field = (is_prev, keyword)
    return found


def load(path) -> polib.POFile:
    """Read a UTF-8 PO file (a BOM is allowed) with :func:`loads`."""
    data = inputs.read_bytes(path, "a PO file", inputs.PO_BYTES)
    posyntax.check_charset(data[:4096].decode("latin-1"), path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not valid UTF-8 at byte {e.start}") from None
    return loads(text, path)
