# Shared functions of install-service.ps1, uninstall-service.ps1 and upgrade.ps1 (dot-sourced).
# Windows PowerShell 5.1 compatible. Every function that changes the machine asks ShouldProcess,
# so -WhatIf on a script shows the plan and changes nothing.

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# What the service's stop timeout is built from (a test keeps them equal to their sources): the defaults of
# SHUTDOWN_TIMEOUT_S and QUEUE_SHUTDOWN_TIMEOUT_S (roa2web/settings.py), Hypercorn's own shutdown_timeout and
# the margin roa2web/server_config.py keeps above the queue's time when hypercorn.toml sets none.
$DefaultShutdownTimeoutS = 30
$DefaultQueueShutdownTimeoutS = 30
$HypercornShutdownTimeoutS = 60
$LifespanMarginS = 15
# Seconds NSSM waits beyond the app's own graceful bounds before it escalates to closing the window.
$StopMarginS = 15
$RequiredPython = '3.13'
$StateFileName = 'state.json'
$EnvFileName = '.env'
$HypercornConfigName = 'hypercorn.toml'

function Write-Step {
    <# One line of what the script did (or, under -WhatIf, would do). #>
    param([Parameter(Mandatory = $true)][string]$Message)
    Write-Host ('[roa2web] ' + $Message)
}

function Assert-Administrator {
    <# Stops unless the shell runs elevated; under -WhatIf it only warns. #>
    $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = New-Object Security.Principal.WindowsPrincipal($identity)
    if ($principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        return
    }
    if ($WhatIfPreference) {
        Write-Warning 'Not elevated: a real run needs "Run as administrator".'
        return
    }
    throw 'Run this script from an elevated PowerShell ("Run as administrator").'
}

function Invoke-Native {
    <# Runs an executable; returns its exit code and output lines (stderr included, as text).
       Windows PowerShell 5.1 turns a native command's stderr into terminating errors under
       ErrorActionPreference=Stop (pip warns on stderr), so the call runs with Continue. #>
    param(
        [Parameter(Mandatory = $true)][string]$FilePath,
        [string[]]$ArgumentList = @()
    )
    $program = Get-Command -Name $FilePath -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $program) {
        throw ('Program not found: ' + $FilePath)
    }
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $raw = & $program.Source @ArgumentList 2>&1
        $exitCode = $LASTEXITCODE
    }
    finally {
        $ErrorActionPreference = $previous
    }
    $lines = New-Object System.Collections.Generic.List[string]
    foreach ($item in @($raw)) {
        # nssm.exe writes UTF-16: strip the NULs PowerShell leaves in its captured text
        $lines.Add(([string]$item) -replace "`0", '')
    }
    return New-Object PSObject -Property @{ ExitCode = $exitCode; Output = $lines.ToArray() }
}

function Assert-Success {
    <# Throws with the command's output when it failed. #>
    param(
        [Parameter(Mandatory = $true)]$Result,
        [Parameter(Mandatory = $true)][string]$What
    )
    if ($Result.ExitCode -ne 0) {
        $text = ($Result.Output -join [Environment]::NewLine)
        throw ($What + ' failed (exit code ' + $Result.ExitCode + '):' + [Environment]::NewLine + $text)
    }
}

function Find-Python {
    <# The python.exe of CPython 3.13 x64: PythonPath when given, else `py -3.13`, else python.exe on PATH. #>
    param([string]$PythonPath)
    $candidates = New-Object System.Collections.Generic.List[string]
    if ($PythonPath) {
        $candidates.Add($PythonPath)
    }
    else {
        $launcher = Get-Command 'py.exe' -ErrorAction SilentlyContinue
        if ($launcher) {
            $probe = Invoke-Native -FilePath $launcher.Source -ArgumentList @('-' + $RequiredPython, '-c', 'import sys; print(sys.executable)')
            if ($probe.ExitCode -eq 0 -and $probe.Output.Count -gt 0) {
                $candidates.Add($probe.Output[-1].Trim())
            }
        }
        $onPath = Get-Command 'python.exe' -ErrorAction SilentlyContinue
        if ($onPath) {
            $candidates.Add($onPath.Source)
        }
    }
    foreach ($candidate in $candidates) {
        if (-not (Test-Path -LiteralPath $candidate -PathType Leaf)) {
            continue
        }
        $probe = Invoke-Native -FilePath $candidate -ArgumentList @('-c', 'import struct, sys; print(''%d.%d %d'' % (sys.version_info[0], sys.version_info[1], struct.calcsize(''P'') * 8))')
        if ($probe.ExitCode -ne 0 -or $probe.Output.Count -eq 0) {
            continue
        }
        $found = $probe.Output[-1].Trim()
        if ($found -eq ($RequiredPython + ' 64')) {
            return (Resolve-Path -LiteralPath $candidate).Path
        }
        Write-Warning ($candidate + ' is Python ' + $found + '-bit, not ' + $RequiredPython + ' 64-bit')
    }
    throw ('Python ' + $RequiredPython + ' (64-bit) not found: install it for all users, or pass -PythonPath C:\...\python.exe')
}

function Find-Nssm {
    <# nssm.exe: NssmPath when given, else the one on PATH. Its version comes from the file (NSSM 2.24
       has no `nssm version`: an unknown verb opens its GUI). #>
    param([string]$NssmPath)
    $path = $null
    if ($NssmPath) {
        if (-not (Test-Path -LiteralPath $NssmPath -PathType Leaf)) {
            throw ('NSSM not found at ' + $NssmPath)
        }
        $path = (Resolve-Path -LiteralPath $NssmPath).Path
    }
    else {
        $command = Get-Command 'nssm.exe' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $command) {
            throw 'nssm.exe is not on PATH: pass -NssmPath C:\...\nssm.exe (NSSM 2.24, 64-bit build)'
        }
        $path = $command.Source
    }
    $info = (Get-Item -LiteralPath $path).VersionInfo
    Write-Step ('nssm: ' + $path + ' (version ' + $info.ProductVersion + ')')
    return $path
}

function Invoke-Nssm {
    <# One nssm.exe call. Calls that change the service go through ShouldProcess; reads (get, status) do not. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Nssm,
        [Parameter(Mandatory = $true)][string[]]$NssmArguments,
        [switch]$AllowFailure
    )
    $verb = $NssmArguments[0]
    if (@('get', 'status') -notcontains $verb) {
        if (-not $PSCmdlet.ShouldProcess(('nssm ' + ($NssmArguments -join ' ')), 'Change service')) {
            return $null
        }
    }
    $result = Invoke-Native -FilePath $Nssm -ArgumentList $NssmArguments
    if (-not $AllowFailure) {
        Assert-Success -Result $result -What ('nssm ' + $verb)
    }
    return $result
}

function Set-NssmValue {
    <# `nssm set <service> <Parameter> <Value...>`: one service setting (through ShouldProcess). #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Nssm,
        [Parameter(Mandatory = $true)][string]$ServiceName,
        [Parameter(Mandatory = $true)][string]$Parameter,
        [Parameter(Mandatory = $true)][string[]]$Value
    )
    Invoke-Nssm -Nssm $Nssm -NssmArguments (@('set', $ServiceName, $Parameter) + $Value) | Out-Null
}

function Get-InstalledVersion {
    <# The roa2web version installed in a venv, or $null when there is none that runs. #>
    param([Parameter(Mandatory = $true)][string]$Venv)
    $exe = Join-Path $Venv 'Scripts\roa2web.exe'
    if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) {
        return $null
    }
    $probe = Invoke-Native -FilePath $exe -ArgumentList @('--version')
    $match = [regex]::Match(($probe.Output -join ' '), 'roa2web (\S+)')
    if ($probe.ExitCode -ne 0 -or -not $match.Success) {
        return $null
    }
    return $match.Groups[1].Value
}

function Invoke-Roa2web {
    <# Runs `roa2web <CliArguments>` from a venv with ROA2WEB_ENV_FILE set, in the install dir.
       Read-only commands (check, db status) run under -WhatIf too; the others ask ShouldProcess. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Venv,
        [Parameter(Mandatory = $true)][string]$InstallDir,
        [Parameter(Mandatory = $true)][string[]]$CliArguments,
        [switch]$ReadOnly,
        [switch]$AllowFailure
    )
    $exe = Join-Path $Venv 'Scripts\roa2web.exe'
    $line = 'roa2web ' + ($CliArguments -join ' ')
    if (-not $ReadOnly) {
        if (-not $PSCmdlet.ShouldProcess($line, 'Run')) {
            return $null
        }
    }
    if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) {
        throw ($exe + ' is missing')
    }
    $previousEnvFile = $env:ROA2WEB_ENV_FILE
    $env:ROA2WEB_ENV_FILE = Join-Path $InstallDir $EnvFileName
    Push-Location -LiteralPath $InstallDir
    try {
        $result = Invoke-Native -FilePath $exe -ArgumentList $CliArguments
    }
    finally {
        Pop-Location
        $env:ROA2WEB_ENV_FILE = $previousEnvFile
    }
    if (-not $AllowFailure) {
        Assert-Success -Result $result -What $line
    }
    return $result
}

function Read-DotEnv {
    <# KEY=value pairs of a .env file (comments and blank lines skipped; quotes around a value removed).
       A missing file gives an empty table. #>
    param([Parameter(Mandatory = $true)][string]$Path)
    $values = @{}
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        return $values
    }
    foreach ($line in [IO.File]::ReadAllLines($Path, [Text.Encoding]::UTF8)) {
        $trimmed = $line.Trim()
        if ($trimmed.Length -eq 0 -or $trimmed.StartsWith('#')) {
            continue
        }
        $match = [regex]::Match($trimmed, '^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$')
        if (-not $match.Success) {
            continue
        }
        $value = $match.Groups[2].Value.Trim()
        if ($value.Length -ge 2 -and (($value.StartsWith('"') -and $value.EndsWith('"')) -or ($value.StartsWith("'") -and $value.EndsWith("'")))) {
            $value = $value.Substring(1, $value.Length - 2)
        }
        $values[$match.Groups[1].Value.ToUpperInvariant()] = $value
    }
    return $values
}

function Set-DotEnvText {
    <# The text of a .env with KEY=value set: the first `KEY=` line (or `# KEY=` line) replaced, else appended. #>
    param(
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Text,
        [Parameter(Mandatory = $true)][string]$Key,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Value
    )
    $line = $Key + '=' + $Value
    $name = [regex]::Escape($Key) + '[ \t]*=[^\r\n]*'
    foreach ($pattern in @(('(?m)^[ \t]*' + $name), ('(?m)^[ \t]*#[ \t]*' + $name))) {
        $regex = New-Object System.Text.RegularExpressions.Regex($pattern)
        if ($regex.IsMatch($Text)) {
            return $regex.Replace($Text, $line.Replace('$', '$$'), 1)
        }
    }
    $separator = ''
    if ($Text.Length -gt 0 -and -not $Text.EndsWith("`n")) {
        $separator = "`r`n"
    }
    return ($Text + $separator + $line + "`r`n")
}

function Write-Utf8File {
    <# Writes text as UTF-8 without a BOM (a BOM would become part of the first .env key). #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Text
    )
    if ($PSCmdlet.ShouldProcess($Path, 'Write file')) {
        [IO.File]::WriteAllText($Path, $Text, (New-Object System.Text.UTF8Encoding($false)))
    }
}

function Read-TomlNumber {
    <# A top-level `key = number` of a TOML file, or $null (enough for hypercorn.toml's timeouts). #>
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][string]$Key
    )
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        return $null
    }
    $pattern = '(?m)^[ \t]*' + [regex]::Escape($Key) + '[ \t]*=[ \t]*([0-9]+(?:\.[0-9]+)?)[ \t]*(?:#.*)?$'
    $match = [regex]::Match([IO.File]::ReadAllText($Path, [Text.Encoding]::UTF8), $pattern)
    if (-not $match.Success) {
        return $null
    }
    return [double]::Parse($match.Groups[1].Value, [Globalization.CultureInfo]::InvariantCulture)
}

function Get-StopTimeoutMs {
    <# Milliseconds NSSM waits after CTRL+C. A stop runs two bounded phases one after the other, as
       `roa2web serve` configures Hypercorn: requests in flight get graceful_timeout (SHUTDOWN_TIMEOUT_S when
       the .env sets it, else hypercorn.toml's, else 30), then the app's shutdown gets shutdown_timeout
       (hypercorn.toml's, else the larger of Hypercorn's 60 and QUEUE_SHUTDOWN_TIMEOUT_S + 15), inside which
       a running job gets QUEUE_SHUTDOWN_TIMEOUT_S. NSSM waits for both plus a margin. #>
    param(
        [Parameter(Mandatory = $true)][hashtable]$EnvValues,
        [Parameter(Mandatory = $true)][string]$ConfigPath
    )
    $culture = [Globalization.CultureInfo]::InvariantCulture
    $graceful = $DefaultShutdownTimeoutS
    $fileGraceful = Read-TomlNumber -Path $ConfigPath -Key 'graceful_timeout'
    if ($null -ne $fileGraceful) {
        $graceful = $fileGraceful
    }
    if ($EnvValues.ContainsKey('SHUTDOWN_TIMEOUT_S') -and $EnvValues['SHUTDOWN_TIMEOUT_S']) {
        $graceful = [double]::Parse($EnvValues['SHUTDOWN_TIMEOUT_S'], $culture)
    }
    $queue = $DefaultQueueShutdownTimeoutS
    if ($EnvValues.ContainsKey('QUEUE_SHUTDOWN_TIMEOUT_S') -and $EnvValues['QUEUE_SHUTDOWN_TIMEOUT_S']) {
        $queue = [double]::Parse($EnvValues['QUEUE_SHUTDOWN_TIMEOUT_S'], $culture)
    }
    $lifespan = [Math]::Max($HypercornShutdownTimeoutS, $queue + $LifespanMarginS)
    $fileLifespan = Read-TomlNumber -Path $ConfigPath -Key 'shutdown_timeout'
    if ($null -ne $fileLifespan) {
        $lifespan = $fileLifespan
    }
    return [int][Math]::Ceiling(($graceful + $lifespan + $StopMarginS) * 1000)
}

function Wait-Ready {
    <# Polls http://127.0.0.1:<Port>/ready until it answers 200; false after TimeoutS. #>
    param(
        [Parameter(Mandatory = $true)][int]$Port,
        [int]$TimeoutS = 120
    )
    $url = 'http://127.0.0.1:' + $Port + '/ready'
    $deadline = (Get-Date).AddSeconds($TimeoutS)
    while ((Get-Date) -lt $deadline) {
        try {
            $response = Invoke-WebRequest -Uri $url -UseBasicParsing -TimeoutSec 5
            if ($response.StatusCode -eq 200) {
                return $true
            }
        }
        catch {
            Write-Verbose ('not ready yet: ' + $_.Exception.Message)
        }
        Start-Sleep -Milliseconds 500
    }
    return $false
}

function Read-State {
    <# <InstallDir>\state.json as a hashtable (empty when there is none): the venvs and backups of past installs. #>
    param([Parameter(Mandatory = $true)][string]$InstallDir)
    $path = Join-Path $InstallDir $StateFileName
    $state = @{}
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        return $state
    }
    $json = [IO.File]::ReadAllText($path, [Text.Encoding]::UTF8) | ConvertFrom-Json
    foreach ($property in $json.PSObject.Properties) {
        $state[$property.Name] = $property.Value
    }
    return $state
}

function Write-State {
    <# Saves the state table as <InstallDir>\state.json. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$InstallDir,
        [Parameter(Mandatory = $true)][hashtable]$State
    )
    $State['updated'] = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    $path = Join-Path $InstallDir $StateFileName
    if ($PSCmdlet.ShouldProcess($path, 'Record install state')) {
        Write-Utf8File -Path $path -Text (ConvertTo-Json -InputObject $State -Depth 4)
    }
}

function Get-StateValue {
    <# One value of the state table, or $null (StrictMode forbids reading a missing key as a property). #>
    param(
        [Parameter(Mandatory = $true)][hashtable]$State,
        [Parameter(Mandatory = $true)][string]$Key
    )
    if ($State.ContainsKey($Key)) {
        return $State[$Key]
    }
    return $null
}

function Open-Bundle {
    <# The offline bundle's root folder (holding bundle.json) and its manifest. A .zip is extracted first,
       under <InstallDir>\bundles. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Bundle,
        [Parameter(Mandatory = $true)][string]$InstallDir
    )
    if (-not (Test-Path -LiteralPath $Bundle)) {
        throw ('Bundle not found: ' + $Bundle)
    }
    $folder = (Resolve-Path -LiteralPath $Bundle).Path
    if (Test-Path -LiteralPath $folder -PathType Leaf) {
        $target = Join-Path (Join-Path $InstallDir 'bundles') ([IO.Path]::GetFileNameWithoutExtension($folder))
        if ($PSCmdlet.ShouldProcess($target, 'Extract ' + $folder)) {
            if (Test-Path -LiteralPath $target) {
                Remove-Item -LiteralPath $target -Recurse -Force
            }
            New-Item -ItemType Directory -Path $target -Force | Out-Null
            Expand-Archive -LiteralPath $folder -DestinationPath $target
            Write-Step ('extracted the bundle to ' + $target)
        }
        else {
            return $null
        }
        $folder = $target
    }
    $manifest = Get-ChildItem -LiteralPath $folder -Filter 'bundle.json' -Recurse -Depth 1 | Select-Object -First 1
    if (-not $manifest) {
        throw ('No bundle.json in ' + $folder + ': not a ROA2WEB bundle')
    }
    $info = [IO.File]::ReadAllText($manifest.FullName, [Text.Encoding]::UTF8) | ConvertFrom-Json
    if ($info.platform -ne 'win_amd64') {
        throw ('The bundle is for ' + $info.platform + ', not win_amd64: build it with scripts/build-bundle.sh --platform win_amd64')
    }
    return New-Object PSObject -Property @{
        Root    = $manifest.Directory.FullName
        Version = [string]$info.version
        Extras  = @($info.extras)
    }
}

function Get-IndexVersion {
    <# The newest roa2web version on the configured package index (pip download of the bare wheel). #>
    param([Parameter(Mandatory = $true)][string]$Python)
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('roa2web-version-' + [guid]::NewGuid().ToString('N'))
    $result = Invoke-Native -FilePath $Python -ArgumentList @('-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--dest', $folder, 'roa2web')
    Assert-Success -Result $result -What 'pip download roa2web'
    $wheel = Get-ChildItem -LiteralPath $folder -Filter 'roa2web-*.whl' | Select-Object -First 1
    Remove-Item -LiteralPath $folder -Recurse -Force -WhatIf:$false  # a temporary download, also under -WhatIf
    if (-not $wheel) {
        throw 'The package index has no roa2web wheel: pass -Bundle or -Version'
    }
    return $wheel.Name.Split('-')[1]
}

function New-AppVenv {
    <# Creates <InstallDir>\venv-<Version> and installs roa2web[<Extras>]==<Version> into it, from the
       bundle's wheels (no index) when a bundle root is given. An existing venv of that version is replaced. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Python,
        [Parameter(Mandatory = $true)][string]$InstallDir,
        [Parameter(Mandatory = $true)][string]$Version,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Extras,
        [string]$BundleRoot
    )
    $venv = Join-Path $InstallDir ('venv-' + $Version)
    $requirement = 'roa2web==' + $Version
    if ($Extras) {
        $requirement = 'roa2web[' + $Extras + ']==' + $Version
    }
    if (-not $PSCmdlet.ShouldProcess($venv, 'Create a venv and pip install ' + $requirement)) {
        return $venv
    }
    if (Test-Path -LiteralPath $venv) {
        Remove-Item -LiteralPath $venv -Recurse -Force
    }
    Assert-Success -Result (Invoke-Native -FilePath $Python -ArgumentList @('-m', 'venv', $venv)) -What 'python -m venv'
    $venvPython = Join-Path $venv 'Scripts\python.exe'
    $pipArguments = @('-m', 'pip', 'install', '--disable-pip-version-check')
    if ($BundleRoot) {
        $pipArguments += @('--no-index', '--find-links', (Join-Path $BundleRoot 'wheels'))
    }
    $pipArguments += $requirement
    Assert-Success -Result (Invoke-Native -FilePath $venvPython -ArgumentList $pipArguments) -What ('pip install ' + $requirement)
    Write-Step ('installed ' + $requirement + ' into ' + $venv)
    return $venv
}

function Copy-Spa {
    <# Copies the bundle's built web app (with its web.config) into the IIS site folder. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$BundleRoot,
        [Parameter(Mandatory = $true)][string]$SiteDir
    )
    $spa = Join-Path $BundleRoot 'spa'
    if (-not (Test-Path -LiteralPath (Join-Path $spa 'index.html'))) {
        throw ('The bundle has no built web app (' + $spa + '\index.html)')
    }
    if ($PSCmdlet.ShouldProcess($SiteDir, 'Copy the web app from ' + $spa)) {
        # robocopy merges into an existing folder (Copy-Item -Recurse may nest it instead); the old
        # hashed assets stay for browsers still holding the previous index.html. Exit codes below 8 are success.
        $copy = Invoke-Native -FilePath 'robocopy.exe' -ArgumentList @($spa, $SiteDir, '/E', '/R:2', '/W:1', '/NP', '/NFL', '/NDL', '/NJH', '/NJS')
        if ($copy.ExitCode -ge 8) {
            throw ('robocopy of the web app to ' + $SiteDir + ' failed (exit code ' + $copy.ExitCode + '):' + [Environment]::NewLine + ($copy.Output -join [Environment]::NewLine))
        }
        Write-Step ('copied the web app (index.html, assets, web.config) to ' + $SiteDir)
    }
}

function Set-ServiceApplication {
    <# Points the NSSM service at a venv's roa2web.exe, serving with the install dir's hypercorn.toml. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Nssm,
        [Parameter(Mandatory = $true)][string]$ServiceName,
        [Parameter(Mandatory = $true)][string]$Venv,
        [Parameter(Mandatory = $true)][string]$InstallDir
    )
    $exe = Join-Path $Venv 'Scripts\roa2web.exe'
    $config = Join-Path $InstallDir $HypercornConfigName
    $serveArguments = Format-CliArguments -CliArguments @('serve', '--config', $config)
    Set-NssmValue -Nssm $Nssm -ServiceName $ServiceName -Parameter 'Application' -Value $exe
    Set-NssmValue -Nssm $Nssm -ServiceName $ServiceName -Parameter 'AppParameters' -Value $serveArguments
}

function Format-CliArguments {
    <# A roa2web argument list as one command-line string (NSSM's AppParameters). Paths are checked
       for spaces and quotes when the scripts start, so no quoting is needed. #>
    param([Parameter(Mandatory = $true)][string[]]$CliArguments)
    return ($CliArguments -join ' ')
}

function Assert-PlainPath {
    <# Install paths go into NSSM's command line unquoted: refuse spaces and quotes. #>
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][string]$Path
    )
    if ($Path -match '[\s"]') {
        throw ($Name + ' must not contain spaces or quotes: ' + $Path)
    }
}

function Stop-AppService {
    <# Stops the service when it runs; NSSM sends CTRL+C and waits for the graceful stop. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$ServiceName,
        [int]$TimeoutS = 180
    )
    $service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if (-not $service -or $service.Status -eq 'Stopped') {
        return
    }
    if ($PSCmdlet.ShouldProcess($ServiceName, 'Stop service')) {
        Stop-Service -Name $ServiceName
        $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds($TimeoutS))
        Write-Step ('stopped service ' + $ServiceName)
    }
}

function Start-AppService {
    <# Starts the service and waits for /ready; false when it did not become ready in time. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$ServiceName,
        [Parameter(Mandatory = $true)][int]$Port,
        [int]$TimeoutS = 120
    )
    if (-not $PSCmdlet.ShouldProcess($ServiceName, 'Start service and wait for /ready')) {
        return $true
    }
    $listener = Get-NetTCPConnection -LocalPort $Port -State Listen -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($listener) {
        $owner = Get-Process -Id $listener.OwningProcess -ErrorAction SilentlyContinue
        $ownerName = 'unknown'
        if ($owner) {
            $ownerName = $owner.ProcessName
        }
        throw ('Port ' + $Port + ' is already in use by process ' + $listener.OwningProcess + ' (' + $ownerName + '): stop it, or set another PORT in the .env')
    }
    Start-Service -Name $ServiceName
    Write-Step ('started service ' + $ServiceName)
    if (Wait-Ready -Port $Port -TimeoutS $TimeoutS) {
        Write-Step ('http://127.0.0.1:' + $Port + '/ready answers 200')
        return $true
    }
    return $false
}
