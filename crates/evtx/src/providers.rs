//! Where a provider's messages live: the built-in map of well-known providers.
//!
//! Windows finds a classic source's messages through the registry
//! (`HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<log>\<source>`: `EventMessageFile`,
//! `ParameterMessageFile`) and a manifest provider's through its publisher registration
//! (`MessageFileName`, `ParameterFileName`). werr has no registry: the knowledge base holds a
//! provider table filled by `werr import FILE --provider NAME`, and this map covers the
//! providers every Windows machine registers the same way.

use serde::Serialize;

/// What a module is to a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleRole {
    /// Holds the provider's event messages (`EventMessageFile`, `MessageFileName`).
    Messages,
    /// Holds the `%%NNNN` parameter messages (`ParameterMessageFile`, `ParameterFileName`).
    Parameters,
}

/// A well-known provider and the modules Windows registers for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WellKnownProvider {
    /// The provider (event source) name as records carry it.
    pub provider: &'static str,
    /// Modules holding its event messages, in lookup order (file names, lower case).
    pub message_modules: &'static [&'static str],
    /// Module holding its `%%NNNN` parameter messages, if it has one.
    pub parameter_module: Option<&'static str>,
    /// Where the registration was seen (the registry value Windows sets).
    pub registered_as: &'static str,
}

/// Providers whose message modules are the same on every Windows installation.
pub const WELL_KNOWN_PROVIDERS: &[WellKnownProvider] = &[
    WellKnownProvider {
        provider: "EventLog",
        message_modules: &["netevent.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\EventLog: EventMessageFile=%SystemRoot%\System32\netevent.dll",
    },
    WellKnownProvider {
        provider: "Service Control Manager",
        message_modules: &["netevent.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\Service Control Manager: EventMessageFile netevent.dll up to Windows Server 2003 (ReactOS keeps it there); services.exe since Vista",
    },
    WellKnownProvider {
        provider: "Tcpip",
        message_modules: &["netevent.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\Tcpip: EventMessageFile=%SystemRoot%\System32\netevent.dll",
    },
    WellKnownProvider {
        provider: "Application Popup",
        message_modules: &["netevent.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\Application Popup: EventMessageFile=%SystemRoot%\System32\netevent.dll",
    },
    // Storage and port drivers log through IoWriteErrorLogEntry: their records carry the
    // I/O error codes of ntiologc.h (Facility IO, 0x0004), whose texts are iologmsg.dll's. A
    // driver with codes of its own registers its .sys file after iologmsg.dll.
    WellKnownProvider {
        provider: "disk",
        message_modules: &["iologmsg.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\disk: EventMessageFile=%SystemRoot%\System32\IoLogMsg.dll",
    },
    WellKnownProvider {
        provider: "atapi",
        message_modules: &["iologmsg.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\atapi: EventMessageFile=%SystemRoot%\System32\IoLogMsg.dll",
    },
    WellKnownProvider {
        provider: "cdrom",
        message_modules: &["iologmsg.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\cdrom: EventMessageFile=%SystemRoot%\System32\IoLogMsg.dll",
    },
    WellKnownProvider {
        provider: "Serial",
        message_modules: &["iologmsg.dll", "serial.sys"],
        parameter_module: None,
        registered_as: r"EventLog\System\Serial: EventMessageFile=%SystemRoot%\System32\IoLogMsg.dll;%SystemRoot%\System32\drivers\serial.sys",
    },
    WellKnownProvider {
        provider: "i8042prt",
        message_modules: &["iologmsg.dll", "i8042prt.sys"],
        parameter_module: None,
        registered_as: r"EventLog\System\i8042prt: EventMessageFile=%SystemRoot%\System32\IoLogMsg.dll;%SystemRoot%\System32\drivers\i8042prt.sys",
    },
    // The LAN Manager services log the NELOG_* codes of lmerrlog.h, whose texts are
    // netmsg.dll's.
    WellKnownProvider {
        provider: "Workstation",
        message_modules: &["netmsg.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\Workstation: EventMessageFile=%SystemRoot%\System32\netmsg.dll",
    },
    WellKnownProvider {
        provider: "Browser",
        message_modules: &["netmsg.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\Browser: EventMessageFile=%SystemRoot%\System32\netmsg.dll",
    },
    WellKnownProvider {
        provider: "NETLOGON",
        message_modules: &["netmsg.dll"],
        parameter_module: None,
        registered_as: r"EventLog\System\NETLOGON: EventMessageFile=%SystemRoot%\System32\netmsg.dll",
    },
    WellKnownProvider {
        provider: "Microsoft-Windows-Security-Auditing",
        message_modules: &["adtschema.dll"],
        parameter_module: Some("msobjs.dll"),
        registered_as: r"WINEVT\Publishers\{54849625-5478-4994-A5BA-3E3B0328C30D}: MessageFileName=adtschema.dll, ParameterFileName=msobjs.dll",
    },
    WellKnownProvider {
        provider: "Security",
        message_modules: &["msaudite.dll"],
        parameter_module: Some("msobjs.dll"),
        registered_as: r"EventLog\Security\Security (Windows XP / Server 2003): EventMessageFile=MsAuditE.dll, ParameterMessageFile=MsObjs.dll",
    },
];

/// The built-in entry for `provider` (names compare without regard to ASCII case).
pub fn well_known_provider(provider: &str) -> Option<&'static WellKnownProvider> {
    WELL_KNOWN_PROVIDERS
        .iter()
        .find(|p| p.provider.eq_ignore_ascii_case(provider))
}
