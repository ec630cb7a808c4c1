// Setup guides that follow each identity provider's own screens (see /work/shared/idp-wire-facts.md).

const B = ({ children }) => <strong>{children}</strong>;
const C = ({ children }) => <code>{children}</code>;

export const guides = [
  {
    id: 'okta',
    name: 'Okta',
    steps: (url) => [
      <>
        In the Okta Admin Console open <B>Applications › Applications</B>, select your app integration (or{' '}
        <B>Create App Integration</B>), and on the <B>General</B> tab click <B>Edit</B> under App Settings and
        choose <B>Provisioning: SCIM</B>. Save.
      </>,
      <>
        Open the new <B>Provisioning</B> tab › <B>Integration</B> › <B>Edit</B>. Set{' '}
        <B>SCIM connector base URL</B> to <C>{url}</C>.
      </>,
      <>
        Set <B>Unique identifier field for users</B> to <C>email</C>.
      </>,
      <>
        Under <B>Supported provisioning actions</B> tick <B>Import New Users and Profile Updates</B>,{' '}
        <B>Push New Users</B>, <B>Push Profile Updates</B> and <B>Push Groups</B>.
      </>,
      <>
        Set <B>Authentication Mode</B> to <B>HTTP Header</B> and paste the API token into <B>Authorization</B>{' '}
        (Okta adds the <C>Bearer</C> prefix).
      </>,
      <>
        Click <B>Test Connector Configuration</B>, then <B>Save</B>.
      </>,
      <>
        Under <B>Provisioning › To App</B> click <B>Edit</B> and enable <B>Create Users</B>,{' '}
        <B>Update User Attributes</B> and <B>Deactivate Users</B>. Assign people and push groups from the{' '}
        <B>Assignments</B> and <B>Push Groups</B> tabs.
      </>,
    ],
  },
  {
    id: 'onelogin',
    name: 'OneLogin',
    steps: (url) => [
      <>
        In OneLogin go to <B>Applications › Add App</B> and add{' '}
        <B>SCIM Provisioner with SAML (SCIM v2 Enterprise, full SAML)</B>.
      </>,
      <>
        On the <B>Configuration</B> tab set <B>SCIM Base URL</B> to <C>{url}</C> and <B>SCIM Bearer Token</B>{' '}
        to the API token. Keep the default SCIM JSON Template. Click <B>Enable</B> next to API Connection.
      </>,
      <>
        On the <B>Provisioning</B> tab tick <B>Enable provisioning</B> and choose what happens when a user is
        deleted or suspended (Delete / Suspend).
      </>,
      <>
        On the <B>Parameters</B> tab set <C>scimusername</C> to <B>Email</B> and tick{' '}
        <B>Include in User Provisioning</B>. Add a Groups parameter to push group memberships.
      </>,
      <>
        Save, then assign users on the <B>Users</B> tab (or with a role) and approve pending provisioning
        tasks if approvals are on.
      </>,
    ],
  },
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    steps: (url) => [
      <>
        In the Microsoft Entra admin center open{' '}
        <B>Enterprise applications › New application › Create your own application</B> and choose{' '}
        <B>Integrate any other application you don't find in the gallery (Non-gallery)</B>.
      </>,
      <>
        Open <B>Provisioning</B>, click <B>Get started</B> and set <B>Provisioning Mode</B> to{' '}
        <B>Automatic</B>.
      </>,
      <>
        Under <B>Admin Credentials</B> set <B>Tenant URL</B> to <C>{url}</C> and <B>Secret Token</B> to the
        API token. Click <B>Test Connection</B>, then <B>Save</B>.
      </>,
      <>
        Under <B>Mappings › Provision Microsoft Entra ID Users</B> check that{' '}
        <C>userPrincipalName → userName</C> and <C>mail → emails[type eq "work"].value</C> are mapped, and
        that <B>Target Object Actions</B> has <B>Create</B>, <B>Update</B> and <B>Delete</B> ticked. Do the
        same for groups.
      </>,
      <>
        Assign users and groups under <B>Users and groups</B>, set <B>Provisioning Status</B> to <B>On</B> and
        save. Entra syncs every 40 minutes; use <B>Provision on demand</B> to test one user.
      </>,
    ],
  },
  {
    id: 'jumpcloud',
    name: 'JumpCloud',
    steps: (url) => [
      <>
        In the JumpCloud Admin Portal open <B>SSO Applications</B>, add a <B>Custom SAML App</B> (or open
        yours) and go to its <B>Identity Management</B> tab.
      </>,
      <>
        Choose <B>SCIM 2.0</B>, set <B>Base URL</B> to <C>{url}</C>, set <B>Token Key</B> to the API token,
        and enter a <B>Test User Email</B>.
      </>,
      <>
        Click <B>Test Connection</B>: JumpCloud creates a test user and group, then deletes them. Then{' '}
        <B>Activate</B> and save.
      </>,
      <>
        Bind user groups to the app on its <B>User Groups</B> tab; their members and the groups are
        provisioned.
      </>,
    ],
  },
  {
    id: 'google',
    name: 'Google Workspace',
    steps: (url) => [
      <>
        In the Google Admin console open <B>Apps › Web and mobile apps</B> and select your SAML app (Google
        supports automated provisioning only for apps in its catalogue and some custom SAML apps on eligible
        editions).
      </>,
      <>
        Click <B>Configure auto-provisioning</B> (the <B>Auto-provisioning</B> section). Paste the API token
        as the <B>Access token</B> and set the <B>Endpoint URL</B> to <C>{url}</C>.
      </>,
      <>
        Review the attribute mapping (Google reads it from our <C>/Schemas</C>) and set the{' '}
        <B>Provisioning scope</B> to the groups or organizational units to sync.
      </>,
      <>
        Choose the <B>Deprovisioning</B> triggers (suspended, removed from scope, deleted);{' '}
        <B>Delete the user</B> is recommended. Finish and turn <B>Auto-provisioning</B> on. Google syncs every
        few hours.
      </>,
    ],
  },
];
