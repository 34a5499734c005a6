//! The language table: every LANGID Windows knows, its BCP-47 tag and ANSI code page.
//!
//! The table follows Microsoft's [MS-LCID] list of language identifiers (every language
//! Windows ships, plus the neutral ids of each primary language), and adds the private ids
//! Wine's message compiler gives to languages Windows has no id for.
//!
//! [MS-LCID]: https://learn.microsoft.com/openspecs/windows_protocols/ms-lcid/

/// Where a language id comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdOrigin {
    /// A Windows language id ([MS-LCID]).
    Windows,
    /// An id Wine 8's `wmc`/`wrc` give to a po language that has no Windows id: they are not
    /// `MAKELANGID` values (0x8018 is Asturian although 0x18 is Romanian's primary id).
    /// Observed by compiling an .mc file with Wine 8.0's `wmc --po-dir` (see the tests).
    WinePrivate,
}

/// One language: its id, BCP-47 tag and ANSI code page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Language {
    /// The LANGID (low 16 bits of an LCID).
    pub id: u16,
    /// The BCP-47 tag as Windows spells it (`en-US`, `sr-Latn-RS`, `zh-Hant`).
    pub tag: &'static str,
    /// The ANSI code page of the language (Windows code page number); 0 for Unicode-only
    /// languages.
    pub ansi_code_page: u16,
    /// Whether the id is a Windows id or a Wine-private one.
    pub origin: IdOrigin,
}

impl Language {
    /// Whether the id is a neutral one (the primary language alone, SUBLANG_NEUTRAL).
    pub fn is_neutral(&self) -> bool {
        self.origin == IdOrigin::Windows && self.id >> 10 == 0
    }

    /// The language subtag (`en` of `en-US`).
    pub fn language_subtag(&self) -> &'static str {
        self.tag.split('-').next().unwrap_or(self.tag)
    }
}

/// The primary language of a LANGID (its low 10 bits).
pub fn primary_language(langid: u16) -> u16 {
    langid & 0x3ff
}

/// The sublanguage of a LANGID (its high 6 bits).
pub fn sublanguage(langid: u16) -> u16 {
    langid >> 10
}

const W: IdOrigin = IdOrigin::Windows;

macro_rules! langs {
    ($(($id:expr, $tag:expr, $cp:expr)),* $(,)?) => {
        &[$(Language { id: $id, tag: $tag, ansi_code_page: $cp, origin: W }),*]
    };
}

/// Every known language, sorted by id.
static LANGUAGES: &[Language] = langs![
    (0x0000, "neutral", 0), // LANG_NEUTRAL: language-neutral resources (not a BCP-47 tag)
    (0x0001, "ar", 1256),
    (0x0002, "bg", 1251),
    (0x0003, "ca", 1252),
    (0x0004, "zh-Hans", 936),
    (0x0005, "cs", 1250),
    (0x0006, "da", 1252),
    (0x0007, "de", 1252),
    (0x0008, "el", 1253),
    (0x0009, "en", 1252),
    (0x000A, "es", 1252),
    (0x000B, "fi", 1252),
    (0x000C, "fr", 1252),
    (0x000D, "he", 1255),
    (0x000E, "hu", 1250),
    (0x000F, "is", 1252),
    (0x0010, "it", 1252),
    (0x0011, "ja", 932),
    (0x0012, "ko", 949),
    (0x0013, "nl", 1252),
    (0x0014, "no", 1252),
    (0x0015, "pl", 1250),
    (0x0016, "pt", 1252),
    (0x0017, "rm", 1252),
    (0x0018, "ro", 1250),
    (0x0019, "ru", 1251),
    (0x001A, "hr", 1250),
    (0x001B, "sk", 1250),
    (0x001C, "sq", 1250),
    (0x001D, "sv", 1252),
    (0x001E, "th", 874),
    (0x001F, "tr", 1254),
    (0x0020, "ur", 1256),
    (0x0021, "id", 1252),
    (0x0022, "uk", 1251),
    (0x0023, "be", 1251),
    (0x0024, "sl", 1250),
    (0x0025, "et", 1257),
    (0x0026, "lv", 1257),
    (0x0027, "lt", 1257),
    (0x0028, "tg", 1251),
    (0x0029, "fa", 1256),
    (0x002A, "vi", 1258),
    (0x002B, "hy", 0),
    (0x002C, "az", 1254),
    (0x002D, "eu", 1252),
    (0x002E, "hsb", 1252),
    (0x002F, "mk", 1251),
    (0x0030, "st", 0),
    (0x0031, "ts", 0),
    (0x0032, "tn", 1252),
    (0x0033, "ve", 0),
    (0x0034, "xh", 1252),
    (0x0035, "zu", 1252),
    (0x0036, "af", 1252),
    (0x0037, "ka", 0),
    (0x0038, "fo", 1252),
    (0x0039, "hi", 0),
    (0x003A, "mt", 0),
    (0x003B, "se", 1252),
    (0x003C, "ga", 1252),
    (0x003D, "yi", 0),
    (0x003E, "ms", 1252),
    (0x003F, "kk", 1251),
    (0x0040, "ky", 1251),
    (0x0041, "sw", 1252),
    (0x0042, "tk", 1250),
    (0x0043, "uz", 1254),
    (0x0044, "tt", 1251),
    (0x0045, "bn", 0),
    (0x0046, "pa", 0),
    (0x0047, "gu", 0),
    (0x0048, "or", 0),
    (0x0049, "ta", 0),
    (0x004A, "te", 0),
    (0x004B, "kn", 0),
    (0x004C, "ml", 0),
    (0x004D, "as", 0),
    (0x004E, "mr", 0),
    (0x004F, "sa", 0),
    (0x0050, "mn", 1251),
    (0x0051, "bo", 0),
    (0x0052, "cy", 1252),
    (0x0053, "km", 0),
    (0x0054, "lo", 0),
    (0x0055, "my", 0),
    (0x0056, "gl", 1252),
    (0x0057, "kok", 0),
    (0x0058, "mni", 0),
    (0x0059, "sd", 1256),
    (0x005A, "syr", 0),
    (0x005B, "si", 0),
    (0x005C, "chr", 0),
    (0x005D, "iu", 1252),
    (0x005E, "am", 0),
    (0x005F, "tzm", 1252),
    (0x0060, "ks", 0),
    (0x0061, "ne", 0),
    (0x0062, "fy", 1252),
    (0x0063, "ps", 0),
    (0x0064, "fil", 1252),
    (0x0065, "dv", 0),
    (0x0066, "bin", 1252),
    (0x0067, "ff", 1252),
    (0x0068, "ha", 1252),
    (0x0069, "ibb", 1252),
    (0x006A, "yo", 1252),
    (0x006B, "quz", 1252),
    (0x006C, "nso", 1252),
    (0x006D, "ba", 1251),
    (0x006E, "lb", 1252),
    (0x006F, "kl", 1252),
    (0x0070, "ig", 1252),
    (0x0071, "kr", 1252),
    (0x0072, "om", 0),
    (0x0073, "ti", 0),
    (0x0074, "gn", 1252),
    (0x0075, "haw", 1252),
    (0x0076, "la", 1252),
    (0x0077, "so", 0),
    (0x0078, "ii", 0),
    (0x0079, "pap", 1252),
    (0x007A, "arn", 1252),
    (0x007C, "moh", 1252),
    (0x007E, "br", 1252),
    (0x007F, "iv", 1252), // LOCALE_INVARIANT's language
    (0x0080, "ug", 1256),
    (0x0081, "mi", 0),
    (0x0082, "oc", 1252),
    (0x0083, "co", 1252),
    (0x0084, "gsw", 1252),
    (0x0085, "sah", 1251),
    (0x0086, "qut", 1252),
    (0x0087, "rw", 1252),
    (0x0088, "wo", 1252),
    (0x008C, "prs", 1256),
    (0x0091, "gd", 1252),
    (0x0092, "ku", 1256),
    (0x0401, "ar-SA", 1256),
    (0x0402, "bg-BG", 1251),
    (0x0403, "ca-ES", 1252),
    (0x0404, "zh-TW", 950),
    (0x0405, "cs-CZ", 1250),
    (0x0406, "da-DK", 1252),
    (0x0407, "de-DE", 1252),
    (0x0408, "el-GR", 1253),
    (0x0409, "en-US", 1252),
    (0x040A, "es-ES_tradnl", 1252),
    (0x040B, "fi-FI", 1252),
    (0x040C, "fr-FR", 1252),
    (0x040D, "he-IL", 1255),
    (0x040E, "hu-HU", 1250),
    (0x040F, "is-IS", 1252),
    (0x0410, "it-IT", 1252),
    (0x0411, "ja-JP", 932),
    (0x0412, "ko-KR", 949),
    (0x0413, "nl-NL", 1252),
    (0x0414, "nb-NO", 1252),
    (0x0415, "pl-PL", 1250),
    (0x0416, "pt-BR", 1252),
    (0x0417, "rm-CH", 1252),
    (0x0418, "ro-RO", 1250),
    (0x0419, "ru-RU", 1251),
    (0x041A, "hr-HR", 1250),
    (0x041B, "sk-SK", 1250),
    (0x041C, "sq-AL", 1250),
    (0x041D, "sv-SE", 1252),
    (0x041E, "th-TH", 874),
    (0x041F, "tr-TR", 1254),
    (0x0420, "ur-PK", 1256),
    (0x0421, "id-ID", 1252),
    (0x0422, "uk-UA", 1251),
    (0x0423, "be-BY", 1251),
    (0x0424, "sl-SI", 1250),
    (0x0425, "et-EE", 1257),
    (0x0426, "lv-LV", 1257),
    (0x0427, "lt-LT", 1257),
    (0x0428, "tg-Cyrl-TJ", 1251),
    (0x0429, "fa-IR", 1256),
    (0x042A, "vi-VN", 1258),
    (0x042B, "hy-AM", 0),
    (0x042C, "az-Latn-AZ", 1254),
    (0x042D, "eu-ES", 1252),
    (0x042E, "hsb-DE", 1252),
    (0x042F, "mk-MK", 1251),
    (0x0430, "st-ZA", 0),
    (0x0431, "ts-ZA", 0),
    (0x0432, "tn-ZA", 1252),
    (0x0433, "ve-ZA", 0),
    (0x0434, "xh-ZA", 1252),
    (0x0435, "zu-ZA", 1252),
    (0x0436, "af-ZA", 1252),
    (0x0437, "ka-GE", 0),
    (0x0438, "fo-FO", 1252),
    (0x0439, "hi-IN", 0),
    (0x043A, "mt-MT", 0),
    (0x043B, "se-NO", 1252),
    (0x043D, "yi-001", 0),
    (0x043E, "ms-MY", 1252),
    (0x043F, "kk-KZ", 1251),
    (0x0440, "ky-KG", 1251),
    (0x0441, "sw-KE", 1252),
    (0x0442, "tk-TM", 1250),
    (0x0443, "uz-Latn-UZ", 1254),
    (0x0444, "tt-RU", 1251),
    (0x0445, "bn-IN", 0),
    (0x0446, "pa-IN", 0),
    (0x0447, "gu-IN", 0),
    (0x0448, "or-IN", 0),
    (0x0449, "ta-IN", 0),
    (0x044A, "te-IN", 0),
    (0x044B, "kn-IN", 0),
    (0x044C, "ml-IN", 0),
    (0x044D, "as-IN", 0),
    (0x044E, "mr-IN", 0),
    (0x044F, "sa-IN", 0),
    (0x0450, "mn-MN", 1251),
    (0x0451, "bo-CN", 0),
    (0x0452, "cy-GB", 1252),
    (0x0453, "km-KH", 0),
    (0x0454, "lo-LA", 0),
    (0x0455, "my-MM", 0),
    (0x0456, "gl-ES", 1252),
    (0x0457, "kok-IN", 0),
    (0x0458, "mni-IN", 0),
    (0x0459, "sd-Deva-IN", 0),
    (0x045A, "syr-SY", 0),
    (0x045B, "si-LK", 0),
    (0x045C, "chr-Cher-US", 0),
    (0x045D, "iu-Cans-CA", 0),
    (0x045E, "am-ET", 0),
    (0x045F, "tzm-Arab-MA", 1256),
    (0x0460, "ks-Arab", 0),
    (0x0461, "ne-NP", 0),
    (0x0462, "fy-NL", 1252),
    (0x0463, "ps-AF", 0),
    (0x0464, "fil-PH", 1252),
    (0x0465, "dv-MV", 0),
    (0x0466, "bin-NG", 1252),
    (0x0467, "ff-NG", 1252),
    (0x0468, "ha-Latn-NG", 1252),
    (0x0469, "ibb-NG", 1252),
    (0x046A, "yo-NG", 1252),
    (0x046B, "quz-BO", 1252),
    (0x046C, "nso-ZA", 1252),
    (0x046D, "ba-RU", 1251),
    (0x046E, "lb-LU", 1252),
    (0x046F, "kl-GL", 1252),
    (0x0470, "ig-NG", 1252),
    (0x0471, "kr-Latn-NG", 1252),
    (0x0472, "om-ET", 0),
    (0x0473, "ti-ET", 0),
    (0x0474, "gn-PY", 1252),
    (0x0475, "haw-US", 1252),
    (0x0476, "la-VA", 1252),
    (0x0477, "so-SO", 0),
    (0x0478, "ii-CN", 0),
    (0x0479, "pap-029", 1252),
    (0x047A, "arn-CL", 1252),
    (0x047C, "moh-CA", 1252),
    (0x047E, "br-FR", 1252),
    (0x0480, "ug-CN", 1256),
    (0x0481, "mi-NZ", 0),
    (0x0482, "oc-FR", 1252),
    (0x0483, "co-FR", 1252),
    (0x0484, "gsw-FR", 1252),
    (0x0485, "sah-RU", 1251),
    (0x0486, "qut-GT", 1252),
    (0x0487, "rw-RW", 1252),
    (0x0488, "wo-SN", 1252),
    (0x048C, "prs-AF", 1256),
    (0x0491, "gd-GB", 1252),
    (0x0492, "ku-Arab-IQ", 1256),
    (0x0801, "ar-IQ", 1256),
    (0x0803, "ca-ES-valencia", 1252),
    (0x0804, "zh-CN", 936),
    (0x0807, "de-CH", 1252),
    (0x0809, "en-GB", 1252),
    (0x080A, "es-MX", 1252),
    (0x080C, "fr-BE", 1252),
    (0x0810, "it-CH", 1252),
    (0x0813, "nl-BE", 1252),
    (0x0814, "nn-NO", 1252),
    (0x0816, "pt-PT", 1252),
    (0x0818, "ro-MD", 1250),
    (0x0819, "ru-MD", 1251),
    (0x081A, "sr-Latn-CS", 1250),
    (0x081D, "sv-FI", 1252),
    (0x0820, "ur-IN", 0),
    (0x082C, "az-Cyrl-AZ", 1251),
    (0x082E, "dsb-DE", 1252),
    (0x0832, "tn-BW", 1252),
    (0x083B, "se-SE", 1252),
    (0x083C, "ga-IE", 1252),
    (0x083E, "ms-BN", 1252),
    (0x0843, "uz-Cyrl-UZ", 1251),
    (0x0845, "bn-BD", 0),
    (0x0846, "pa-Arab-PK", 1256),
    (0x0849, "ta-LK", 0),
    (0x0850, "mn-Mong-CN", 0),
    (0x0859, "sd-Arab-PK", 1256),
    (0x085D, "iu-Latn-CA", 1252),
    (0x085F, "tzm-Latn-DZ", 1252),
    (0x0860, "ks-Deva-IN", 0),
    (0x0861, "ne-IN", 0),
    (0x0867, "ff-Latn-SN", 1252),
    (0x086B, "quz-EC", 1252),
    (0x0873, "ti-ER", 0),
    (0x0C01, "ar-EG", 1256),
    (0x0C04, "zh-HK", 950),
    (0x0C07, "de-AT", 1252),
    (0x0C09, "en-AU", 1252),
    (0x0C0A, "es-ES", 1252),
    (0x0C0C, "fr-CA", 1252),
    (0x0C1A, "sr-Cyrl-CS", 1251),
    (0x0C3B, "se-FI", 1252),
    (0x0C50, "mn-Mong-MN", 0),
    (0x0C51, "dz-BT", 0),
    (0x0C6B, "quz-PE", 1252),
    (0x1001, "ar-LY", 1256),
    (0x1004, "zh-SG", 936),
    (0x1007, "de-LU", 1252),
    (0x1009, "en-CA", 1252),
    (0x100A, "es-GT", 1252),
    (0x100C, "fr-CH", 1252),
    (0x101A, "hr-BA", 1250),
    (0x103B, "smj-NO", 1252),
    (0x105F, "tzm-Tfng-MA", 0),
    (0x1401, "ar-DZ", 1256),
    (0x1404, "zh-MO", 950),
    (0x1407, "de-LI", 1252),
    (0x1409, "en-NZ", 1252),
    (0x140A, "es-CR", 1252),
    (0x140C, "fr-LU", 1252),
    (0x141A, "bs-Latn-BA", 1250),
    (0x143B, "smj-SE", 1252),
    (0x1801, "ar-MA", 1256),
    (0x1809, "en-IE", 1252),
    (0x180A, "es-PA", 1252),
    (0x180C, "fr-MC", 1252),
    (0x181A, "sr-Latn-BA", 1250),
    (0x183B, "sma-NO", 1252),
    (0x1C01, "ar-TN", 1256),
    (0x1C09, "en-ZA", 1252),
    (0x1C0A, "es-DO", 1252),
    (0x1C0C, "fr-029", 1252),
    (0x1C1A, "sr-Cyrl-BA", 1251),
    (0x1C3B, "sma-SE", 1252),
    (0x2001, "ar-OM", 1256),
    (0x2009, "en-JM", 1252),
    (0x200A, "es-VE", 1252),
    (0x200C, "fr-RE", 1252),
    (0x201A, "bs-Cyrl-BA", 1251),
    (0x203B, "sms-FI", 1252),
    (0x2401, "ar-YE", 1256),
    (0x2409, "en-029", 1252),
    (0x240A, "es-CO", 1252),
    (0x240C, "fr-CD", 1252),
    (0x241A, "sr-Latn-RS", 1250),
    (0x243B, "smn-FI", 1252),
    (0x2801, "ar-SY", 1256),
    (0x2809, "en-BZ", 1252),
    (0x280A, "es-PE", 1252),
    (0x280C, "fr-SN", 1252),
    (0x281A, "sr-Cyrl-RS", 1251),
    (0x2C01, "ar-JO", 1256),
    (0x2C09, "en-TT", 1252),
    (0x2C0A, "es-AR", 1252),
    (0x2C0C, "fr-CM", 1252),
    (0x2C1A, "sr-Latn-ME", 1250),
    (0x3001, "ar-LB", 1256),
    (0x3009, "en-ZW", 1252),
    (0x300A, "es-EC", 1252),
    (0x300C, "fr-CI", 1252),
    (0x301A, "sr-Cyrl-ME", 1251),
    (0x3401, "ar-KW", 1256),
    (0x3409, "en-PH", 1252),
    (0x340A, "es-CL", 1252),
    (0x340C, "fr-ML", 1252),
    (0x3801, "ar-AE", 1256),
    (0x380A, "es-UY", 1252),
    (0x380C, "fr-MA", 1252),
    (0x3C01, "ar-BH", 1256),
    (0x3C09, "en-HK", 1252),
    (0x3C0A, "es-PY", 1252),
    (0x3C0C, "fr-HT", 1252),
    (0x4001, "ar-QA", 1256),
    (0x4009, "en-IN", 1252),
    (0x400A, "es-BO", 1252),
    (0x4409, "en-MY", 1252),
    (0x440A, "es-SV", 1252),
    (0x4809, "en-SG", 1252),
    (0x480A, "es-HN", 1252),
    (0x4C09, "en-AE", 1252),
    (0x4C0A, "es-NI", 1252),
    (0x5009, "en-BH", 1252),
    (0x500A, "es-PR", 1252),
    (0x5409, "en-EG", 1252),
    (0x540A, "es-US", 1252),
    (0x5809, "en-JO", 1252),
    (0x580A, "es-419", 1252),
    (0x5C09, "en-KW", 1252),
    (0x5C0A, "es-CU", 1252),
    (0x6009, "en-TR", 1252),
    (0x6409, "en-YE", 1252),
    (0x641A, "bs-Cyrl", 1251),
    (0x681A, "bs-Latn", 1250),
    (0x6C1A, "sr-Cyrl", 1251),
    (0x701A, "sr-Latn", 1250),
    (0x703B, "smn", 1252),
    (0x742C, "az-Cyrl", 1251),
    (0x743B, "sms", 1252),
    (0x7804, "zh", 936),
    (0x7814, "nn", 1252),
    (0x781A, "bs", 1250),
    (0x782C, "az-Latn", 1254),
    (0x783B, "sma", 1252),
    (0x7843, "uz-Cyrl", 1251),
    (0x7850, "mn-Cyrl", 1251),
    (0x785D, "iu-Cans", 0),
    (0x785F, "tzm-Tfng", 0),
    (0x7C04, "zh-Hant", 950),
    (0x7C14, "nb", 1252),
    (0x7C1A, "sr", 1250),
    (0x7C28, "tg-Cyrl", 1251),
    (0x7C2E, "dsb", 1252),
    (0x7C3B, "smj", 1252),
    (0x7C43, "uz-Latn", 1254),
    (0x7C46, "pa-Arab", 1256),
    (0x7C50, "mn-Mong", 0),
    (0x7C59, "sd-Arab", 1256),
    (0x7C5C, "chr-Cher", 0),
    (0x7C5D, "iu-Latn", 1252),
    (0x7C5F, "tzm-Latn", 1252),
    (0x7C67, "ff-Latn", 1252),
    (0x7C68, "ha-Latn", 1252),
    (0x7C92, "ku-Arab", 1256),
];

/// Wine's private ids (see [`IdOrigin::WinePrivate`]), sorted by id.
static WINE_PRIVATE: &[Language] = &[
    Language {
        id: 0x8018,
        tag: "ast",
        ansi_code_page: 1252,
        origin: IdOrigin::WinePrivate,
    },
    Language {
        id: 0x80A5,
        tag: "eo",
        ansi_code_page: 0,
        origin: IdOrigin::WinePrivate,
    },
    Language {
        id: 0x81C1,
        tag: "wa",
        ansi_code_page: 1252,
        origin: IdOrigin::WinePrivate,
    },
];

/// Every known language: Windows ids, then Wine-private ids, each part sorted by id.
pub fn languages() -> impl Iterator<Item = &'static Language> {
    LANGUAGES.iter().chain(WINE_PRIVATE)
}

/// The language of a LANGID, when known.
pub fn by_id(langid: u16) -> Option<&'static Language> {
    let table = if langid >= 0x8000 {
        WINE_PRIVATE
    } else {
        LANGUAGES
    };
    table
        .binary_search_by_key(&langid, |l| l.id)
        .ok()
        .map(|i| &table[i])
}

/// The language of a BCP-47 tag, compared without case and with `_` taken as `-`
/// (`en-US`, `en_us`, `sr-Latn-RS`). Windows ids win over Wine-private ones.
pub fn by_tag(tag: &str) -> Option<&'static Language> {
    let same = |a: &str, b: &str| {
        a.len() == b.len()
            && a.bytes().zip(b.bytes()).all(|(x, y)| {
                let norm = |c: u8| {
                    if c == b'_' {
                        b'-'
                    } else {
                        c.to_ascii_lowercase()
                    }
                };
                norm(x) == norm(y)
            })
    };
    languages().find(|l| same(l.tag, tag))
}

/// The tag of a LANGID: the table's tag, or `x-langid-XXXX` (BCP-47 private use) for an
/// unknown id, so that every id has a printable tag.
pub fn tag_of(langid: u16) -> String {
    match by_id(langid) {
        Some(l) => l.tag.to_string(),
        None => format!("x-langid-{langid:04x}"),
    }
}

/// The ANSI code page for ANSI text of a resource in `langid`: the language's, else that of
/// its primary language, else 1252 (Windows-1252, what Windows itself falls back to).
pub fn ansi_code_page(langid: u16) -> u16 {
    [langid, primary_language(langid)]
        .into_iter()
        .filter_map(by_id)
        .map(|l| l.ansi_code_page)
        .find(|&cp| cp != 0)
        .unwrap_or(1252)
}

/// The LANGID of an LCID: its low 16 bits, when the rest is a valid sort id (bits 16-19;
/// bits 20-31 are reserved and must be zero).
pub fn langid_of_lcid(lcid: u32) -> Option<u16> {
    (lcid >> 20 == 0).then_some((lcid & 0xFFFF) as u16)
}
