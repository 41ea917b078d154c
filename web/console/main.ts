/** The console page: wires the forms, the rooms, the pipeline panel and the error region, then connects with the dev token. */
import { errorRegion } from './alerts.js';
import { connectForm } from './connect-form.js';
import { ConsoleConnection } from './connection.js';
import { byId } from './dom.js';
import { showApplication } from './application.js';
import { loadInfo, showAddresses } from './info.js';
import { joinForm } from './join-form.js';
import { pipelinePanel } from './pipeline.js';
import { publishForm } from './publish-form.js';
import { Rooms } from './rooms.js';
import { stateView } from './state-view.js';

const report = errorRegion();
const connection = new ConsoleConnection(stateView(), report);
const publish = publishForm(report);
const noRooms = byId('no-rooms', HTMLElement);
const rooms = new Rooms(byId('rooms', HTMLElement), connection, (names) => {
  publish.suggest(names);
  noRooms.hidden = names.length > 0;
});
joinForm(rooms);
const connect = connectForm(connection);

loadInfo()
  .then(
    (info) => {
      showAddresses(info);
      showApplication(info);
      // The connection and the pipeline speak roomcast's protocol and read its metrics.
      if (info.application.roomcast) connect.start(info);
      return info.application.roomcast;
    },
    (error: unknown) => {
      report({ code: 'INFO_UNAVAILABLE', message: `cannot read the local cloud's addresses: ${String(error)}` });
      return true;
    },
  )
  .then((roomcast) => {
    if (roomcast) pipelinePanel();
  });
