<#
.SYNOPSIS
    Stops and removes the ROA2WEB service. The data stays unless -RemoveData (asked for confirmation).

.DESCRIPTION
    Safe to run again: a service that is not there is reported and skipped. The install dir (venvs,
    .env, hypercorn.toml, backups) is kept; -RemoveData deletes the data dir only, after a
    confirmation that -Force skips. -WhatIf shows every change without making it.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\uninstall-service.ps1
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$InstallDir = 'C:\ROA2WEB',
    [string]$DataDir,
    [string]$ServiceName = 'ROA2WEB-Unified',
    [string]$NssmPath,
    [switch]$RemoveData,
    [switch]$Force
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'common.ps1')

Assert-Administrator
if (-not $DataDir) {
    $envValues = Read-DotEnv -Path (Join-Path $InstallDir $EnvFileName)
    if ($envValues.ContainsKey('DATA_DIR') -and $envValues['DATA_DIR']) {
        $DataDir = $envValues['DATA_DIR']
    }
    else {
        $DataDir = Join-Path $InstallDir 'data'
    }
}

$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($service) {
    $nssm = Find-Nssm -NssmPath $NssmPath
    Stop-AppService -ServiceName $ServiceName
    Invoke-Nssm -Nssm $nssm -NssmArguments @('remove', $ServiceName, 'confirm') | Out-Null
    Write-Step ('removed service ' + $ServiceName)
}
else {
    Write-Step ('service ' + $ServiceName + ' is not installed: nothing to remove')
}

if ($RemoveData) {
    if (-not (Test-Path -LiteralPath $DataDir)) {
        Write-Step ('data dir ' + $DataDir + ' is not there: nothing to delete')
    }
    elseif ($PSCmdlet.ShouldProcess($DataDir, 'Delete the data dir (databases, receipts, exports, JWT secret)')) {
        $question = 'Delete ' + $DataDir + ' and everything in it? Backups in ' + (Join-Path $InstallDir 'backups') + ' are kept.'
        if ($Force -or $PSCmdlet.ShouldContinue($question, 'Delete ROA2WEB data')) {
            Remove-Item -LiteralPath $DataDir -Recurse -Force
            Write-Step ('deleted ' + $DataDir)
        }
        else {
            Write-Step ('kept ' + $DataDir + ' (not confirmed)')
        }
    }
}
else {
    Write-Step ('kept the data in ' + $DataDir + ' (-RemoveData deletes it)')
}
Write-Step ('kept ' + $InstallDir + ' (venvs, .env, hypercorn.toml, backups): delete it by hand when it is no longer needed')
