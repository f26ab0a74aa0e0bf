<#
.SYNOPSIS
    Upgrades the ROA2WEB service from an offline bundle, or rolls the last upgrade back.

.DESCRIPTION
    -Bundle: installs the new version into a NEW venv while the old one still serves, stops the
    service, takes a backup with the old version (`roa2web backup --to <InstallDir>\backups`), runs
    `roa2web db upgrade` with the new one, points the service at the new venv, starts it and waits
    for /ready. When /ready does not come, it rolls back by itself.
    -Rollback: stops the service, points it at the previous venv, restores the backup taken by the
    last upgrade (`roa2web restore ARCHIVE --data-dir DATA_DIR`) and starts it.
    Both record what they did in <InstallDir>\state.json; both take -WhatIf.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\upgrade.ps1 -Bundle D:\roa2web-1.5.0-win_amd64.zip
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\upgrade.ps1 -Rollback
#>
[CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Upgrade')]
param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Upgrade')][string]$Bundle,
    [Parameter(Mandatory = $true, ParameterSetName = 'Rollback')][switch]$Rollback,
    [string]$InstallDir = 'C:\ROA2WEB',
    [string]$PythonPath,
    [string]$NssmPath,
    [string]$SiteDir,
    [int]$ReadyTimeoutS = 120
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

function Switch-Version {
    <# Stops the service, points it at $Venv (restoring $Backup first when given), starts it; true when /ready answers. #>
    param(
        [Parameter(Mandatory = $true)][string]$Venv,
        [string]$Backup
    )
    Stop-AppService -ServiceName $serviceName
    if ($Backup) {
        Invoke-Roa2web -Venv $Venv -InstallDir $InstallDir -CliArguments @('restore', $Backup, '--data-dir', $dataDir) | Out-Null
        Write-Step ('restored ' + $Backup + ' into ' + $dataDir)
    }
    Set-ServiceApplication -Nssm $nssm -ServiceName $serviceName -Venv $Venv -InstallDir $InstallDir
    $stopMs = Get-StopTimeoutMs -EnvValues $envValues -ConfigPath (Join-Path $InstallDir $HypercornConfigName)
    Set-NssmValue -Nssm $nssm -ServiceName $serviceName -Parameter 'AppStopMethodConsole' -Value ([string]$stopMs)
    Write-Step ('service ' + $serviceName + ' now runs ' + (Join-Path $Venv 'Scripts\roa2web.exe'))
    return (Start-AppService -ServiceName $serviceName -Port $port -TimeoutS $ReadyTimeoutS)
}

function Show-LogTail {
    <# The last lines of the service's stderr log: why it did not become ready. #>
    $stderrLog = Join-Path (Join-Path $dataDir 'logs') 'service-stderr.log'
    if (Test-Path -LiteralPath $stderrLog) {
        Get-Content -LiteralPath $stderrLog -Tail 30 | ForEach-Object { Write-Host ('    ' + $_) }
    }
}

Assert-Administrator
$state = Read-State -InstallDir $InstallDir
$currentVenv = Get-StateValue -State $state -Key 'current_venv'
if (-not $currentVenv) {
    throw ('No install recorded in ' + (Join-Path $InstallDir $StateFileName) + ': install with install-service.ps1 first')
}
$serviceName = Get-StateValue -State $state -Key 'service_name'
$envValues = Read-DotEnv -Path (Join-Path $InstallDir $EnvFileName)
$dataDir = Get-StateValue -State $state -Key 'data_dir'
if ($envValues.ContainsKey('DATA_DIR') -and $envValues['DATA_DIR']) {
    $dataDir = $envValues['DATA_DIR']
}
$port = [int](Get-StateValue -State $state -Key 'port')
if ($envValues.ContainsKey('PORT') -and $envValues['PORT']) {
    $port = [int]$envValues['PORT']
}
if (-not $SiteDir) {
    $SiteDir = Get-StateValue -State $state -Key 'site_dir'
}
$nssm = Find-Nssm -NssmPath $NssmPath

if ($Rollback) {
    $previousVenv = Get-StateValue -State $state -Key 'previous_venv'
    $backup = Get-StateValue -State $state -Key 'upgrade_backup'
    if (-not $previousVenv -or -not $backup) {
        throw 'No upgrade to roll back is recorded in state.json (a rollback undoes the last upgrade once).'
    }
    foreach ($path in @($previousVenv, $backup)) {
        if (-not (Test-Path -LiteralPath $path)) {
            throw ($path + ' is gone: cannot roll back')
        }
    }
    Write-Step ('rolling back from ' + $currentVenv + ' to ' + $previousVenv + ' with the backup ' + $backup)
    if (-not (Switch-Version -Venv $previousVenv -Backup $backup)) {
        Show-LogTail
        throw ('Rolled back, but /ready did not answer 200 within ' + $ReadyTimeoutS + ' s (log tail above).')
    }
    $previousBundle = Get-StateValue -State $state -Key 'previous_bundle'
    if ($SiteDir -and $previousBundle -and (Test-Path -LiteralPath $previousBundle)) {
        Copy-Spa -BundleRoot $previousBundle -SiteDir $SiteDir
    }
    $state['rolled_back_from'] = Get-StateValue -State $state -Key 'current_version'
    $state['current_version'] = Get-StateValue -State $state -Key 'previous_version'
    $state['current_venv'] = $previousVenv
    $state['current_bundle'] = $previousBundle
    $state['previous_version'] = $null
    $state['previous_venv'] = $null
    $state['previous_bundle'] = $null
    $state['upgrade_backup'] = $null
    Write-State -InstallDir $InstallDir -State $state
    Write-Step ('done: rolled back to roa2web ' + $state['current_version'])
    return
}

# --- upgrade
$python = Find-Python -PythonPath $PythonPath
$opened = Open-Bundle -Bundle $Bundle -InstallDir $InstallDir
if (-not $opened) {
    Write-Step ('would upgrade from ' + $Bundle)
    return
}
$version = $opened.Version
if ($version -eq (Get-StateValue -State $state -Key 'current_version')) {
    Write-Step ('roa2web ' + $version + ' is already installed: nothing to upgrade')
    return
}
Write-Step ('upgrading roa2web ' + (Get-StateValue -State $state -Key 'current_version') + ' -> ' + $version)
$extras = $opened.Extras -join ','
if ($state.ContainsKey('extras') -and $null -ne $state['extras']) {
    $extras = [string]$state['extras']  # the extras installed so far
}
foreach ($extra in $extras.Split(',')) {
    $name = $extra.Trim()
    if ($name -and $opened.Extras -notcontains $name -and $opened.Extras -notcontains 'all') {
        throw ('The new bundle was built without the extra "' + $name + '" that is installed now (it has: ' + ($opened.Extras -join ',') + ')')
    }
}
$newVenv = New-AppVenv -Python $python -InstallDir $InstallDir -Version $version -Extras $extras -BundleRoot $opened.Root

Stop-AppService -ServiceName $serviceName
$backupResult = Invoke-Roa2web -Venv $currentVenv -InstallDir $InstallDir -CliArguments @('backup', '--to', (Join-Path $InstallDir 'backups'))
$backup = $null
if ($backupResult) {
    $backup = ($backupResult.Output | Where-Object { $_ -match '\.zip\s*$' } | Select-Object -Last 1)
    if (-not $backup -or -not (Test-Path -LiteralPath $backup.Trim())) {
        throw ('roa2web backup did not name its archive:' + [Environment]::NewLine + ($backupResult.Output -join [Environment]::NewLine))
    }
    $backup = $backup.Trim()
    Write-Step ('backup: ' + $backup)
}

$migrated = Invoke-Roa2web -Venv $newVenv -InstallDir $InstallDir -CliArguments @('db', 'upgrade') -AllowFailure
$ready = $false
if ($migrated -and $migrated.ExitCode -ne 0) {
    $migrated.Output | ForEach-Object { Write-Host ('    ' + $_) }
    Write-Warning 'roa2web db upgrade failed (above): rolling back'
}
else {
    if ($migrated) {
        Write-Step ('ran roa2web db upgrade with ' + $newVenv)
    }
    $ready = Switch-Version -Venv $newVenv
}
if (-not $ready) {
    Show-LogTail
    Write-Warning ('roa2web ' + $version + ' did not become ready: rolling back to ' + $currentVenv)
    if (Switch-Version -Venv $currentVenv -Backup $backup) {
        throw ('Upgrade to ' + $version + ' failed; rolled back to ' + $currentVenv + ' and restored ' + $backup + '.')
    }
    Show-LogTail
    throw ('Upgrade to ' + $version + ' failed and the rollback did not become ready either: see the log above and docs/deployment-windows.md.')
}

if ($SiteDir) {
    Copy-Spa -BundleRoot $opened.Root -SiteDir $SiteDir
}
$shippedConfig = Join-Path (Join-Path $opened.Root 'windows') $HypercornConfigName
$installedConfig = Join-Path $InstallDir $HypercornConfigName
if ((Test-Path -LiteralPath $shippedConfig) -and (Test-Path -LiteralPath $installedConfig)) {
    if ((Get-FileHash -LiteralPath $shippedConfig).Hash -ne (Get-FileHash -LiteralPath $installedConfig).Hash) {
        if ($PSCmdlet.ShouldProcess($installedConfig + '.new', 'Copy the new version''s hypercorn.toml beside the kept one')) {
            Copy-Item -LiteralPath $shippedConfig -Destination ($installedConfig + '.new') -Force
            Write-Step ('kept ' + $installedConfig + '; the new version ships ' + $installedConfig + '.new: compare them')
        }
    }
}
$state['previous_version'] = Get-StateValue -State $state -Key 'current_version'
$state['previous_venv'] = $currentVenv
$state['previous_bundle'] = Get-StateValue -State $state -Key 'current_bundle'
$state['upgrade_backup'] = $backup
$state['current_version'] = $version
$state['current_venv'] = $newVenv
$state['current_bundle'] = $opened.Root
Write-State -InstallDir $InstallDir -State $state
Write-Step ('done: roa2web ' + $version + ' serves on http://127.0.0.1:' + $port + '; upgrade.ps1 -Rollback returns to ' + $state['previous_version'])
