// Phase 2 of the deployment: the Event Grid subscription that delivers "blob created in submissions/" to the function's
// blob-trigger webhook. Its URL carries the host's blobs_extension system key, which exists only after the code has
// been deployed and the host has started; Event Grid also validates the endpoint on creation. So main.bicep deploys this
// module only with deployEventSubscription=true, after the code deployment (azd postdeploy hook, deploy workflow).
// Undeliverable events are dead-lettered to the data account's eventgrid-deadletter container using the topic's own
// identity (the account refuses shared keys).
param location string
param tags object
param topicName string
param dataStorageName string
param functionAppName string

@description('The blob trigger function: Host.Functions.<name> in the webhook URL.')
param functionName string = 'ProcessSubmission'

@description('Action group to alert when events are dead-lettered; empty: no alert.')
param actionGroupId string = ''

resource dataStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The host keys API (Microsoft.Web/sites/host/default/listkeys) has no Bicep resource type, so call it directly.
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', '2024-04-01').systemKeys.blobs_extension

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: dataStorage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage.id, topicName, 'eventgrid-deadletter')
  scope: dataStorage
  properties: {
    // Storage Blob Data Contributor
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource submissionCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'submission-created'
  dependsOn: [
    deadLetterWriter
  ]
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/submissions/blobs/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: dataStorage.id
          blobContainerName: 'eventgrid-deadletter'
        }
      }
    }
  }
}

// A dead-lettered event is a file in submissions/ that was never processed: a person must look (and re-send it).
resource deadLettered 'Microsoft.Insights/metricAlerts@2018-03-01' = if (!empty(actionGroupId)) {
  name: 'pipeline-events-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Event Grid gave up delivering a blob-created event to ProcessSubmission: an upload is unprocessed. See the eventgrid-deadletter container (docs/deploy.md, section 7).'
    severity: 1
    enabled: true
    scopes: [
      topic.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'dead-lettered'
          criterionType: 'StaticThresholdCriterion'
          metricName: 'DeadLetteredCount'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

output topicName string = topic.name
