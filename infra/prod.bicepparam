// Production: the vault is purge-protected with 90 days of soft delete; the plan may scale out to 20 workers.
// deploy.sh sets the environment variables (the deployer it is signed in as, the resource group's vault seed tag).
using 'main.bicep'

param environment = 'prod'
param deployerPrincipalId = readEnvironmentVariable('DEPLOYER_OBJECT_ID')
param deployerPrincipalType = readEnvironmentVariable('DEPLOYER_PRINCIPAL_TYPE')
param vaultNameSeed = readEnvironmentVariable('VAULT_NAME_SEED')
param vaultPurgeProtection = true
param vaultSoftDeleteRetentionInDays = 90
param planSku = 'EP1'
param maximumElasticWorkerCount = 20
param serviceBusSku = 'Standard'
param logRetentionInDays = 90
