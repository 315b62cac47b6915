/** The ACD as the service API shows it: live queues and agents, agent state changes with clear errors. */
import type { Acd } from '../acd/acd.js';
import { CallboxError } from '../errors.js';
import type { AcdService, AgentStateRequest, AgentView, QueueView } from './types.js';

export class AcdControl implements AcdService {
  constructor(private readonly acd: Acd) {}

  queues(): QueueView[] {
    return this.acd.queuesView();
  }

  agents(): AgentView[] {
    return this.acd.agentsView();
  }

  setAgentState(agentId: string, req: AgentStateRequest): AgentView {
    const agent = this.acd.agents.get(agentId);
    if (!agent) throw new CallboxError('NOT_FOUND', `no agent ${agentId}`);
    switch (req.state) {
      case 'available':
        if (agent.state === 'loggedOut' || agent.state === 'paused') this.acd.login(agentId);
        else if (agent.state !== 'available')
          throw new CallboxError('CONFLICT', `agent ${agentId} is ${agent.state}; available follows by itself`);
        break;
      case 'paused':
        if (agent.state === 'loggedOut') throw new CallboxError('CONFLICT', `agent ${agentId} is logged out: log in first`);
        if (agent.state === 'onCall') throw new CallboxError('CONFLICT', `agent ${agentId} is on a call: pause after it`);
        this.acd.pause(agentId, req.reason ?? null);
        break;
      case 'loggedOut':
        if (agent.state === 'onCall') throw new CallboxError('CONFLICT', `agent ${agentId} is on a call: log out after it`);
        this.acd.logout(agentId);
        break;
    }
    const view = this.acd.agentsView().find((a) => a.id === agentId);
    if (!view) throw new CallboxError('INTERNAL', `agent ${agentId} vanished`);
    return view;
  }
}
