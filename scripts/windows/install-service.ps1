<#
.SYNOPSIS
    Installs ROA2WEB as ONE Windows service (NSSM) running `roa2web serve --config hypercorn.toml`.

.DESCRIPTION
    Creates <InstallDir>\venv-<version> and installs roa2web into it (from the offline bundle when
    -Bundle is given, else from the configured package index), writes <InstallDir>\.env on the first
    install (an existing one is kept), copies hypercorn.toml, runs `roa2web init` when there is no
    data yet and `roa2web check` (a FAIL stops the install), installs or updates the NSSM service,
    starts it and waits for http://127.0.0.1:<port>/ready. Safe to run again: the service is updated,
    not duplicated. -WhatIf shows every change without making it. See docs/deployment-windows.md.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\install-service.ps1 -Bundle D:\roa2web-1.4.0-win_amd64.zip -SiteDir C:\inetpub\roa2web
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$InstallDir = 'C:\ROA2WEB',
    [string]$DataDir,
    [string]$PythonPath,
    [ValidateRange(1, 65535)][int]$Port = 8000,
    [string]$ServiceName = 'ROA2WEB-Unified',
    [string]$Extras = 'all',
    [string]$Bundle,
    [string]$Version,
    [string]$NssmPath,
    [string]$SiteDir,
    [int]$ReadyTimeoutS = 120
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

Assert-Administrator
Assert-PlainPath -Name 'InstallDir' -Path $InstallDir
# An existing .env is the truth for where the data is and which port the service listens on.
$envFile = Join-Path $InstallDir $EnvFileName
$existingEnv = Read-DotEnv -Path $envFile
if ($existingEnv.ContainsKey('DATA_DIR') -and $existingEnv['DATA_DIR']) {
    $DataDir = $existingEnv['DATA_DIR']
    if (-not [IO.Path]::IsPathRooted($DataDir)) {
        $DataDir = Join-Path $InstallDir $DataDir  # relative to the service's AppDirectory
    }
}
if (-not $DataDir) {
    $DataDir = Join-Path $InstallDir 'data'
}
if ($existingEnv.ContainsKey('PORT') -and $existingEnv['PORT'] -and [int]$existingEnv['PORT'] -ne $Port) {
    Write-Warning ($envFile + ' says PORT=' + $existingEnv['PORT'] + ': the service listens there, not on ' + $Port)
    $Port = [int]$existingEnv['PORT']
}
$python = Find-Python -PythonPath $PythonPath
Write-Step ('python: ' + $python)
$nssm = Find-Nssm -NssmPath $NssmPath

# --- the version to install: the bundle's, -Version, or the index's newest
$bundleRoot = $null
if ($Bundle) {
    $opened = Open-Bundle -Bundle $Bundle -InstallDir $InstallDir
    if ($opened) {
        $bundleRoot = $opened.Root
        $Version = $opened.Version
        if (-not $PSBoundParameters.ContainsKey('Extras')) {
            $Extras = $opened.Extras -join ','  # what the bundle was built with (none: the base install)
        }
        foreach ($extra in $Extras.Split(',')) {
            $name = $extra.Trim()
            if ($name -and $opened.Extras -notcontains $name -and $opened.Extras -notcontains 'all') {
                throw ('The bundle was built without the extra "' + $name + '" (it has: ' + ($opened.Extras -join ',') + ')')
            }
        }
        Write-Step ('bundle: roa2web ' + $Version + ' in ' + $bundleRoot)
    }
}
elseif (-not $Version) {
    $Version = Get-IndexVersion -Python $python
    Write-Step ('package index: roa2web ' + $Version)
}
if (-not $Version) {
    Write-Step ('would install roa2web from ' + $Bundle)
    $Version = 'bundle'
}

# --- folders; the install dir is for administrators and the service (LocalSystem) only
foreach ($folder in @($InstallDir, $DataDir, (Join-Path $DataDir 'logs'), (Join-Path $InstallDir 'backups'))) {
    if (-not (Test-Path -LiteralPath $folder)) {
        if ($PSCmdlet.ShouldProcess($folder, 'Create folder')) {
            New-Item -ItemType Directory -Path $folder -Force | Out-Null
            Write-Step ('created ' + $folder)
        }
    }
}
if ($PSCmdlet.ShouldProcess($InstallDir, 'Restrict access to Administrators and SYSTEM')) {
    # SIDs, not names: Administrators and SYSTEM are spelled differently on a Romanian Windows
    $acl = Invoke-Native -FilePath 'icacls.exe' -ArgumentList @($InstallDir, '/inheritance:r', '/grant:r', '*S-1-5-32-544:(OI)(CI)F', '*S-1-5-18:(OI)(CI)F')
    Assert-Success -Result $acl -What 'icacls'
    Write-Step ('restricted ' + $InstallDir + ' to Administrators and SYSTEM (it holds .env and the JWT secret)')
}

# --- the venv: kept when it already holds this version
$venv = Join-Path $InstallDir ('venv-' + $Version)
$venvExe = Join-Path $venv 'Scripts\roa2web.exe'
if ((Get-InstalledVersion -Venv $venv) -eq $Version) {
    Write-Step ('kept ' + $venv + ' (roa2web ' + $Version + ' already installed there)')
}
else {
    if (Test-Path -LiteralPath $venv) {
        Stop-AppService -ServiceName $ServiceName  # its files are about to be replaced
    }
    $venv = New-AppVenv -Python $python -InstallDir $InstallDir -Version $Version -Extras $Extras -BundleRoot $bundleRoot
}

# --- .env: written once from .env.example, never overwritten
if (Test-Path -LiteralPath $envFile -PathType Leaf) {
    Write-Step ('kept ' + $envFile + ' (it is never overwritten)')
}
else {
    $template = ''
    if ($bundleRoot -and (Test-Path -LiteralPath (Join-Path $bundleRoot '.env.example'))) {
        $template = [IO.File]::ReadAllText((Join-Path $bundleRoot '.env.example'), [Text.Encoding]::UTF8)
    }
    $text = $template
    $text = Set-DotEnvText -Text $text -Key 'ENV' -Value 'production'
    $text = Set-DotEnvText -Text $text -Key 'HOST' -Value '127.0.0.1'
    $text = Set-DotEnvText -Text $text -Key 'PORT' -Value ([string]$Port)
    $text = Set-DotEnvText -Text $text -Key 'DATA_DIR' -Value $DataDir
    $text = Set-DotEnvText -Text $text -Key 'BACKUP_DIR' -Value (Join-Path $InstallDir 'backups')
    # IIS serves the web app itself (SiteDir); the service answers the API only
    $text = Set-DotEnvText -Text $text -Key 'SPA_DIR' -Value ''
    # JWT_SECRET_KEY stays empty: `roa2web init` writes a random secret to DATA_DIR\jwt-secret
    Write-Utf8File -Path $envFile -Text $text
    Write-Step ('wrote ' + $envFile + ' (ENV=production, PORT=' + $Port + ', DATA_DIR=' + $DataDir + ')')
}
$envValues = Read-DotEnv -Path $envFile
$logDir = Join-Path $DataDir 'logs'

# --- hypercorn.toml: copied once, an edited one is kept
$configFile = Join-Path $InstallDir $HypercornConfigName
$shippedConfig = Join-Path $PSScriptRoot $HypercornConfigName
if (Test-Path -LiteralPath $configFile -PathType Leaf) {
    Write-Step ('kept ' + $configFile)
}
elseif ($PSCmdlet.ShouldProcess($configFile, 'Copy ' + $shippedConfig)) {
    Copy-Item -LiteralPath $shippedConfig -Destination $configFile
    Write-Step ('copied ' + $HypercornConfigName + ' to ' + $configFile)
}

# --- data: `roa2web init` on a new data dir, then `roa2web check`
$hasSecret = (Test-Path -LiteralPath (Join-Path $DataDir 'jwt-secret')) -or ($envValues.ContainsKey('JWT_SECRET_KEY') -and $envValues['JWT_SECRET_KEY'])
if ($hasSecret -and (Test-Path -LiteralPath (Join-Path $DataDir 'app.db'))) {
    Write-Step ('data present in ' + $DataDir + ': init skipped')
}
else {
    $init = Invoke-Roa2web -Venv $venv -InstallDir $InstallDir -CliArguments @('init')
    if ($init) {
        $init.Output | ForEach-Object { Write-Host ('    ' + $_) }
        Write-Step 'ran roa2web init (note the admin password above: it is shown once)'
    }
}
if (Test-Path -LiteralPath (Join-Path $venv 'Scripts\roa2web.exe')) {
    $check = Invoke-Roa2web -Venv $venv -InstallDir $InstallDir -CliArguments @('check') -ReadOnly -AllowFailure
    $check.Output | ForEach-Object { Write-Host ('    ' + $_) }
    if ($check.ExitCode -ne 0) {
        throw 'roa2web check reported FAIL (lines above): fix the .env or the named part, then run this script again.'
    }
    Write-Step 'roa2web check passed'
}
else {
    Write-Step 'would run roa2web check'
}

# --- the service: installed once, then every setting (re)applied
$existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($existing) {
    Write-Step ('service ' + $ServiceName + ' exists: updating its settings')
}
else {
    Invoke-Nssm -Nssm $nssm -NssmArguments @('install', $ServiceName, $venvExe) | Out-Null
    Write-Step ('installed service ' + $ServiceName)
}
$stopMs = Get-StopTimeoutMs -EnvValues $envValues -ConfigPath $configFile
Set-ServiceApplication -Nssm $nssm -ServiceName $ServiceName -Venv $venv -InstallDir $InstallDir
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppDirectory' -Value $InstallDir
# the service reads this .env; Python writes its output at once
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppEnvironmentExtra' -Value ('ROA2WEB_ENV_FILE=' + $envFile), 'PYTHONUNBUFFERED=1', 'PYTHONUTF8=1'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'DisplayName' -Value 'ROA2WEB'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'Description' -Value 'ROA2WEB: reports, data entry and Telegram (roa2web serve, behind IIS)'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'Start' -Value 'SERVICE_AUTO_START'
# a console, so that NSSM's CTRL+C reaches the app
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppNoConsole' -Value '0'
# stdout/stderr to files under the data dir, rotated at 10 MB, also while running
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppStdout' -Value (Join-Path $logDir 'service-stdout.log')
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppStderr' -Value (Join-Path $logDir 'service-stderr.log')
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppRotateFiles' -Value '1'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppRotateOnline' -Value '1'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppRotateBytes' -Value '10485760'
# restart on any exit NSSM did not ask for, 5 s later; a crash within 10 s backs off further
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppExit' -Value 'Default', 'Restart'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppRestartDelay' -Value '5000'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppThrottle' -Value '10000'
# stop: CTRL+C, then $stopMs ms for requests and the running job, then close the window, then end the threads
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppStopMethodSkip' -Value '0'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppStopMethodConsole' -Value ([string]$stopMs)
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppStopMethodWindow' -Value '5000'
Set-NssmValue -Nssm $nssm -ServiceName $ServiceName -Parameter 'AppStopMethodThreads' -Value '5000'
Write-Step ('service ' + $ServiceName + ': automatic start, restart after 5 s on failure, logs in ' + $logDir + ' (rotated at 10 MB), CTRL+C stop with ' + ($stopMs / 1000) + ' s grace')

# --- the web app for IIS
if ($SiteDir) {
    if ($bundleRoot) {
        Copy-Spa -BundleRoot $bundleRoot -SiteDir $SiteDir
    }
    else {
        Write-Warning '-SiteDir needs -Bundle (the built web app comes with the bundle): nothing copied'
    }
}

# --- (re)start and wait for /ready
Stop-AppService -ServiceName $ServiceName
if (-not (Start-AppService -ServiceName $ServiceName -Port $Port -TimeoutS $ReadyTimeoutS)) {
    $stderrLog = Join-Path $logDir 'service-stderr.log'
    if (Test-Path -LiteralPath $stderrLog) {
        Get-Content -LiteralPath $stderrLog -Tail 30 | ForEach-Object { Write-Host ('    ' + $_) }
    }
    throw ('The service started but http://127.0.0.1:' + $Port + '/ready did not answer 200 within ' + $ReadyTimeoutS + ' s (log tail above).')
}

$state = Read-State -InstallDir $InstallDir
$state['service_name'] = $ServiceName
$state['port'] = $Port
$state['data_dir'] = $DataDir
$state['extras'] = $Extras
$state['current_version'] = $Version
$state['current_venv'] = $venv
$state['current_bundle'] = $bundleRoot
if ($SiteDir) {
    $state['site_dir'] = $SiteDir
}
Write-State -InstallDir $InstallDir -State $state
Write-Step ('done: roa2web ' + $Version + ' serves on http://127.0.0.1:' + $Port + ' as service ' + $ServiceName + '; state in ' + (Join-Path $InstallDir $StateFileName))
