/** The console page: wires the forms, the rooms, the pipeline panel and the error region, then connects with the dev token. */
import { errorRegion } from './alerts.js';
import { connectForm } from './connect-form.js';
import { ConsoleConnection } from './connection.js';
import { byId } from './dom.js';
import { runsRoomcast, showApplication } from './application.js';
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
pipelinePanel();

loadInfo()
  .then((info) => {
    showAddresses(info);
    showApplication(info);
    if (runsRoomcast(info)) connect.start(info);
  })
  .catch((error: unknown) => report({ code: 'INFO_UNAVAILABLE', message: `cannot read the local cloud's addresses: ${String(error)}` }));
