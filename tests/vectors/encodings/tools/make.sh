#!/usr/bin/env bash
# Writes the files of this folder: identity exports as real tools write them in legacy encodings,
# encoded by glibc's iconv (independent of the importer's decoders). Each NAME.csv has its text in
# NAME.utf8 and its encoding in expected.json. Run once; the output is committed.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.csv ./*.utf8
json='{'
# name iconv-encoding expected-encoding eol text (one row per line, \n)
make() {
  local name=$1 from=$2 want=$3 eol=$4 text=$5
  case "$eol" in '\r') eol=$'\r' ;; '\n') eol=$'\n' ;; *) eol=$'\r\n' ;; esac
  printf '%s\n' "$text" | awk -v eol="$eol" '{ printf "%s%s", $0, eol }' > "$name.utf8"
  iconv -f UTF-8 -t "$from" < "$name.utf8" > "$name.csv"
  json+="\"$name.csv\":\"$want\","
}
# Excel for Mac, "CSV (Macintosh)": MacRoman, CR line ends.
make excel-mac-macroman MACINTOSH macintosh '\r' 'Email,First Name,Last Name,Department
ines.moreau@example.com,Inès,Moreau,Comptabilité
joao.simoes@example.com,João,Simões,Operações
bjorn.akesson@example.com,Björn,Åkesson,Försäljning
renee.dubois@example.com,Renée,Dubois,Direction'
# Excel on Windows, German locale: windows-1252, ';', CRLF.
make excel-de-windows-1252 CP1252 windows-1252 '\r\n' 'E-Mail;Vorname;Nachname;Abteilung
h.schroeder@example.com;Hans-Jörg;Schröder;Qualitätssicherung
a.weiss@example.com;Änne;Weiß;Geschäftsleitung
f.mueller@example.com;Fritz;Müller;Lager & Logistik'
# French locale: windows-1252 with œ and curly apostrophes (0x9C, 0x92).
make excel-fr-windows-1252 CP1252 windows-1252 '\r\n' 'Adresse e-mail;Prénom;Nom;Service
c.dupont@example.com;Cécile;D’Arcy;Ressources humaines
l.boeuf@example.com;Léon;Bœuf;Comptabilité
e.lefevre@example.com;Élodie;Lefèvre;Maîtrise d’œuvre'
# Polish locale: windows-1250.
make excel-pl-windows-1250 CP1250 windows-1250 '\r\n' 'E-mail;Imię;Nazwisko;Dział
k.wlodarczyk@example.com;Krzysztof;Włodarczyk;Księgowość
a.sliwinska@example.com;Agata;Śliwińska;Zarząd
m.zolc@example.com;Michał;Żółć;Sprzedaż'
# Russian locale: windows-1251.
make excel-ru-windows-1251 CP1251 windows-1251 '\r\n' 'Email;Имя;Фамилия;Отдел
v.sokolova@example.com;Вера;Соколова;Бухгалтерия
p.fedorov@example.com;Павел;Фёдоров;Отдел кадров
n.grigoriev@example.com;Никита;Григорьев;Юридический отдел'
# Turkish locale: windows-1254.
make excel-tr-windows-1254 CP1254 windows-1254 '\r\n' 'E-posta;Adı;Soyadı;Departman
e.kocak@example.com;Emine;Koçak;Muhasebe
s.ozdemir@example.com;Selçuk;Özdemir;Bilgi İşlem
g.sahin@example.com;Gökhan;Şahin;Satış ve Pazarlama'
# Hebrew locale: windows-1255.
make excel-he-windows-1255 CP1255 windows-1255 '\r\n' 'Email,שם פרטי,שם משפחה,מחלקה
y.levi@example.com,יונתן,לוי,כספים
r.katz@example.com,רונית,כץ,משאבי אנוש
a.ben@example.com,אריאל,בן דוד,שיווק'
# Greek locale: windows-1253.
make excel-el-windows-1253 CP1253 windows-1253 '\r\n' 'Email;Όνομα;Επώνυμο;Τμήμα
k.alexiou@example.com;Κατερίνα;Αλεξίου;Λογιστήριο
s.dimou@example.com;Σταύρος;Δήμου;Πωλήσεις
e.karali@example.com;Ευαγγελία;Καραλή;Ανθρώπινο δυναμικό'
# Japanese Excel: cp932.
make excel-ja-cp932 CP932 Shift_JIS '\r\n' 'メールアドレス,姓,名,部署
yamada@example.com,山田,一郎,営業部
suzuki@example.com,鈴木,さくら,経理部
tanaka@example.com,田中,健太,開発部'
# Simplified Chinese Excel: GBK (cp936).
make excel-zh-gbk GBK GBK '\r\n' '电子邮件,姓,名,部门
zhang.wei@example.com,张,伟,销售部
li.na@example.com,李,娜,财务部
wang.fang@example.com,王,芳,人力资源部'
# Korean Excel: cp949.
make excel-ko-cp949 CP949 EUC-KR '\r\n' '이메일,성,이름,부서
kim@example.com,김,철수,영업부
lee@example.com,이,영희,재무부
park@example.com,박,지성,인사부'
# Taiwanese Excel: Big5.
make excel-zh-tw-big5 BIG5 Big5 '\r\n' '電子郵件,姓,名,部門
chen@example.com,陳,建國,業務部
lin@example.com,林,淑惠,財務部
huang@example.com,黃,志偉,人事部'
# A Latin-9 system (ISO-8859-15): €, Š, Ž, œ.
make latin9-iso-8859-15 ISO-8859-15 ISO-8859-15 '\n' 'email,first_name,last_name,notes
s.zupan@example.com,Štefan,Župan,Bonus 500 €
c.oeil@example.com,Chloé,Lœuillet,
j.sajn@example.com,Jože,Šajn,Reise 120 €'
# Non-ASCII only far into the file: 2000 ASCII rows, then one windows-1252 name.
{
  printf 'email,first_name,last_name\r\n'
  for i in $(seq 1 2000); do printf 'person%d@example.com,Person,Number%d\r\n' "$i" "$i"; done
  printf 'zoe@example.com,Zoë,Brontë\r\n'
} > late-windows-1252.utf8
iconv -f UTF-8 -t CP1252 < late-windows-1252.utf8 > late-windows-1252.csv
json+='"late-windows-1252.csv":"windows-1252"'
printf '%s}\n' "$json" > expected.json
