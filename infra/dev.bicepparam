// Development: small and cheap; the vault can be purged (no purge protection, 7 days of soft delete).
// deploy.sh sets the environment variables (the deployer it is signed in as, the resource group's vault seed tag).
using 'main.bicep'

param environment = 'dev'
param deployerPrincipalId = readEnvironmentVariable('DEPLOYER_OBJECT_ID')
param deployerPrincipalType = readEnvironmentVariable('DEPLOYER_PRINCIPAL_TYPE')
param vaultNameSeed = readEnvironmentVariable('VAULT_NAME_SEED')
param vaultPurgeProtection = false
param vaultSoftDeleteRetentionInDays = 7
param planSku = 'EP1'
param maximumElasticWorkerCount = 3
param serviceBusSku = 'Standard'
param logRetentionInDays = 30
