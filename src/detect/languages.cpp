#include "detect/languages.h"

namespace canopy {

const std::vector<Language>& languages() {
  using S = LetterScript;
  static const std::vector<Language> table = {
      // Latin script: the letters beyond a-z each language writes (names included: é in English too).
      {"en", S::latin, "éëèïöü", ""},
      {"de", S::latin, "äöüßé", ""},
      {"fr", S::latin, "àâæçéèêëîïôœùûüÿ", ""},
      {"es", S::latin, "áéíñóúü", ""},
      {"ca", S::latin, "àçèéíïòóúü·", ""},
      {"pt", S::latin, "áâãàçéêíóôõú", ""},
      {"it", S::latin, "àèéìíîòóùú", ""},
      {"nl", S::latin, "áéëèïóöü", ""},
      {"sv", S::latin, "åäöé", ""},
      {"da", S::latin, "æøåé", ""},
      {"no", S::latin, "æøåéô", ""},
      {"fi", S::latin, "äöåšž", ""},
      {"is", S::latin, "áðéíóúýþæö", ""},
      {"pl", S::latin, "ąćęłńóśźż", ""},
      {"cs", S::latin, "áčďéěíňóřšťúůýž", ""},
      {"sk", S::latin, "áäčďéíĺľňóôŕšťúýž", ""},
      {"sl", S::latin, "čšžćđ", ""},
      {"hr", S::latin, "čćđšž", ""},
      {"hu", S::latin, "áéíóöőúüű", ""},
      {"ro", S::latin, "ăâîșşțţ", ""},
      {"tr", S::latin, "çğıİöşüâîû", ""},
      {"et", S::latin, "äöõüšž", ""},
      {"lv", S::latin, "āčēģīķļņšūž", ""},
      {"lt", S::latin, "ąčęėįšųūž", ""},
      {"sq", S::latin, "çë", ""},
      {"mt", S::latin, "ċġħżàèìòù", ""},
      {"ga", S::latin, "áéíóú", ""},
      {"vi", S::latin, "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ", ""},
      // Other scripts: the whole alphabet, and its most frequent letters (about half of running text).
      {"ru", S::cyrillic, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "оеаинтсрвлк"},
      {"uk", S::cyrillic, "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя", "оанівиртеск"},
      {"be", S::cyrillic, "абвгдеёжзійклмнопрстуўфхцчшыьэюя", "аоенірсвлк"},
      {"bg", S::cyrillic, "абвгдежзийклмнопрстуфхцчшщъьюя", "аоеинтрсвл"},
      {"sr", S::cyrillic, "абвгдђежзијклљмнњопрстћуфхцчџш", "аоеинрсјтв"},
      {"mk", S::cyrillic, "абвгдѓежзѕијклљмнњопрстќуфхцчџш", "аоеинрствл"},
      {"el", S::greek, "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς", "αοιετσνηυρ"},
      {"he", S::hebrew, "אבגדהוזחטיכלמנסעפצקרשתךםןףץ", "יוהמלארבנת"},
      {"ar", S::arabic, "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي", "اليمونرتبعدس"},
      {"fa", S::arabic, "ءآأؤئابپتثجچحخدذرزژسشصضطظعغفقکگلمنهوی", "اینردمهوتسب"},
      {"th", S::thai, "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮะัาำิีึืฺุูเแโใไๅๆ็่้๊๋์", "านรอกเงมยล"},
  };
  return table;
}

}  // namespace canopy
