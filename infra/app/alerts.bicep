// Tells operations when something needs a person: a function invocation failed (a submission that cannot be processed
// is retried, then poisoned; a dispatch or late check failed). Event Grid dead-lettering is alerted on in event-grid.bicep.
param location string
param tags object
param applicationInsightsId string

@description('Where alerts go, e.g. the platform team\'s shared mailbox.')
param operationsEmail string

resource operations 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-pipeline-operations'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'pipelineops'
    enabled: true
    emailReceivers: [
      {
        name: 'operations'
        emailAddress: operationsEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource failedInvocations 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'pipeline-function-failures'
  location: location
  tags: tags
  properties: {
    displayName: 'Pipeline: a function invocation failed'
    description: 'ProcessSubmission, DispatchNotifications or CheckLateSubmissions failed. Check Application Insights exceptions, the webjobs-blobtrigger-poison queue and quarantine/ (docs/deploy.md, section 7).'
    severity: 2
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests | where success == false | summarize failures = count() by operation_Name'
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          dimensions: [
            {
              name: 'operation_Name'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        operations.id
      ]
    }
  }
}

output actionGroupId string = operations.id
