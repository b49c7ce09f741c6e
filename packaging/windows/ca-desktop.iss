; Inno Setup script for CA Desktop on Windows (per-user install: no administrator needed,
; which matters on programme laptops managed by someone else).
;   1. pyinstaller packaging\pyinstaller\ca-desktop.spec --noconfirm
;   2. iscc packaging\windows\ca-desktop.iss      -> dist\CA-Desktop-Setup-<version>.exe
#define AppVersion GetEnv("CA_DESKTOP_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B0E8A2E-3C64-4E8B-9A53-5C1C0D1A7C11}
AppName=CA Desktop
AppVersion={#AppVersion}
AppPublisher=Cities Alliance
DefaultDirName={localappdata}\Programs\CA Desktop
DefaultGroupName=CA Desktop
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=CA-Desktop-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
UninstallDisplayIcon={app}\ca-desktop.exe

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "pt"; MessagesFile: "compiler:Languages\Portuguese.isl"

[Files]
Source: "..\..\dist\CA Desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\CA Desktop"; Filename: "{app}\ca-desktop.exe"
Name: "{userdesktop}\CA Desktop"; Filename: "{app}\ca-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Registry]
; Double-clicking a .cabundle on a USB stick opens it in CA Desktop.
Root: HKCU; Subkey: "Software\Classes\.cabundle"; ValueType: string; ValueData: "CADesktop.Bundle"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\CADesktop.Bundle"; ValueType: string; ValueData: "CA Desktop sync bundle"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\CADesktop.Bundle\shell\open\command"; ValueType: string; ValueData: """{app}\ca-desktop.exe"" ""%1"""

[Run]
Filename: "{app}\ca-desktop.exe"; Description: "{cm:LaunchProgram,CA Desktop}"; Flags: nowait postinstall skipifsilent
; The data folder (%LOCALAPPDATA%\Cities Alliance\CA Desktop) is never removed by the
; uninstaller: field data outlives the program.
